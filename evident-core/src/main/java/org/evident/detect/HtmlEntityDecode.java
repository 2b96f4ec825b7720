package org.evident.detect;

/**
 * Decodes HTML character references: {@code &#60;}, {@code &#x3c;} (with or without the
 * semicolon, as browsers accept) and the named entities attackers use to hide markup.
 */
final class HtmlEntityDecode implements Transformation {

  @Override
  public String name() {
    return "htmlEntityDecode";
  }

  @Override
  public String triggers() {
    return "&";
  }

  @Override
  public String apply(String s) {
    int amp = s.indexOf('&');
    if (amp < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    out.append(s, 0, amp);
    int n = s.length();
    boolean changed = false;
    for (int i = amp; i < n; i++) {
      char c = s.charAt(i);
      if (c == '&' && i + 2 < n) {
        int j = i + 1;
        if (s.charAt(j) == '#') {
          j++;
          int radix = 10;
          if (j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X')) {
            radix = 16;
            j++;
          }
          int start = j;
          int v = 0;
          while (j < n && j - start < 8 && Character.digit(s.charAt(j), radix) >= 0
              && s.charAt(j) < 128) {
            v = v * radix + Character.digit(s.charAt(j), radix);
            j++;
          }
          if (j > start && v <= 0x10ffff) {
            out.appendCodePoint(v);
            i = (j < n && s.charAt(j) == ';') ? j : j - 1;
            changed = true;
            continue;
          }
        } else {
          int semi = s.indexOf(';', j);
          if (semi > j && semi - j <= 8) {
            String name = s.substring(j, semi);
            char d = named(name);
            if (d != 0) {
              out.append(d);
              i = semi;
              changed = true;
              continue;
            }
          }
        }
      }
      out.append(c);
    }
    return changed ? out.toString() : s;
  }

  private static char named(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "lt" -> '<';
      case "gt" -> '>';
      case "amp" -> '&';
      case "quot" -> '"';
      case "apos" -> '\'';
      case "nbsp" -> ' ';
      case "colon" -> ':';
      case "lpar" -> '(';
      case "rpar" -> ')';
      case "sol" -> '/';
      case "bsol" -> '\\';
      case "semi" -> ';';
      case "equals" -> '=';
      case "grave" -> '`';
      case "tab" -> '\t';
      case "newline" -> '\n';
      case "period" -> '.';
      case "comma" -> ',';
      case "excl" -> '!';
      case "num" -> '#';
      case "dollar" -> '$';
      case "percnt" -> '%';
      case "lsqb", "lbrack" -> '[';
      case "rsqb", "rbrack" -> ']';
      case "lcub", "lbrace" -> '{';
      case "rcub", "rbrace" -> '}';
      case "vert", "verbar" -> '|';
      default -> 0;
    };
  }
}
