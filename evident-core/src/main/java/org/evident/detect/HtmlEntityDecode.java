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
    while (amp >= 0 && reference(s, amp) < 0) {
      amp = s.indexOf('&', amp + 1); // query strings are full of '&' that start no reference
    }
    if (amp < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int done = 0;
    for (; amp >= 0; amp = s.indexOf('&', amp + 1)) {
      long ref = reference(s, amp);
      if (ref >= 0) {
        out.append(s, done, amp).appendCodePoint((int) (ref >>> 32));
        done = (int) ref;
        amp = done - 1;
      }
    }
    return out.append(s, done, s.length()).toString();
  }

  /**
   * The reference starting at {@code s[i] == '&'}: its code point in the high half and the index
   * just after it in the low half, or -1 when none starts there.
   */
  private static long reference(String s, int i) {
    int n = s.length();
    int j = i + 1;
    if (i + 2 >= n) {
      return -1;
    }
    if (s.charAt(j) == '#') {
      j++;
      int radix = 10;
      if (j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X')) {
        radix = 16;
        j++;
      }
      int start = j;
      while (j < n && s.charAt(j) == '0') {
        j++; // leading zeros, however many, as ModSecurity reads them: &#0000000060; is '<'
      }
      int significant = j;
      int v = 0;
      while (j < n && j - significant < 8 && s.charAt(j) < 128
          && Character.digit(s.charAt(j), radix) >= 0) {
        v = v * radix + Character.digit(s.charAt(j), radix);
        j++;
      }
      if (j == start || v > 0x10ffff) {
        return -1;
      }
      return ((long) v << 32) | (j < n && s.charAt(j) == ';' ? j + 1 : j);
    }
    int semi = -1;
    for (int k = j + 1; k < n && k <= j + 8 && semi < 0; k++) { // names are at most 8 long
      semi = s.charAt(k) == ';' ? k : -1;
    }
    if (semi < 0) {
      return -1;
    }
    char d = named(s.substring(j, semi));
    return d == 0 ? -1 : ((long) d << 32) | (semi + 1);
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
