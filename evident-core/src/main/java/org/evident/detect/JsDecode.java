package org.evident.detect;

/**
 * Decodes JavaScript escapes: {@code \\uHHHH}, {@code \\xHH}, octal {@code \\OOO} and the one-letter
 * escapes. As in ModSecurity, {@code \\uHHHH} keeps its low byte, and full-width ASCII
 * ({@code \\uFF01}-{@code \\uFF5E}) becomes the ASCII character it imitates.
 */
final class JsDecode implements Transformation {

  @Override
  public String name() {
    return "jsDecode";
  }

  @Override
  public String triggers() {
    return "\\";
  }

  @Override
  public String apply(String s) {
    int i = s.indexOf('\\');
    if (i < 0 || i == s.length() - 1) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    b.append(s, 0, i);
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= n) {
        b.append(c);
        i++;
        continue;
      }
      char d = s.charAt(i + 1);
      int u = (d == 'u' || d == 'U') ? Hex.value(s, i + 2, 4) : -1;
      int x = (d == 'x' || d == 'X') ? Hex.value(s, i + 2, 2) : -1;
      if (u >= 0) {
        int low = u & 0xff;
        if (u >= 0xff01 && u <= 0xff5e) {
          low = (low + 0x20) & 0xff;
        }
        b.append((char) low);
        i += 6;
      } else if (x >= 0) {
        b.append((char) x);
        i += 4;
      } else if (d >= '0' && d <= '7') {
        int v = 0;
        int k = i + 1;
        while (k < n && k < i + 4 && s.charAt(k) >= '0' && s.charAt(k) <= '7'
            && v * 8 + (s.charAt(k) - '0') <= 0xff) {
          v = v * 8 + (s.charAt(k) - '0');
          k++;
        }
        b.append((char) v);
        i = k;
      } else {
        b.append(switch (d) {
          case 'a' -> '\u0007';
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          case 'v' -> '\u000b';
          default -> d;
        });
        i += 2;
      }
    }
    return b.toString();
  }
}
