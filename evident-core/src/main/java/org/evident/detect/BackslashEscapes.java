package org.evident.detect;

/**
 * The backslash escapes of C and JavaScript, decoded in one place for {@code escapeSeqDecode}
 * (C rules: an unknown escape stays as written) and {@code jsDecode} (JavaScript rules: also
 * {@code \\uHHHH}, and an unknown escape gives the character itself).
 */
final class BackslashEscapes {
  private BackslashEscapes() {}

  static String decode(String s, boolean javaScript) {
    int i = s.indexOf('\\');
    if (i < 0 || i == s.length() - 1) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length()).append(s, 0, i);
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= n) {
        b.append(c);
        i++;
        continue;
      }
      char d = s.charAt(i + 1);
      int u = javaScript && (d == 'u' || d == 'U') ? Hex.value(s, i + 2, 4) : -1;
      int x = (d == 'x' || d == 'X') ? Hex.value(s, i + 2, 2) : -1;
      if (u >= 0) {
        // as ModSecurity: the low byte, with full-width ASCII mapped to ASCII
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
        char r = switch (d) {
          case 'a' -> '\u0007';
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          case 'v' -> '\u000b';
          case '\\', '?', '\'', '"' -> d;
          default -> 0;
        };
        if (r != 0) {
          b.append(r);
        } else if (javaScript) {
          b.append(d);
        } else {
          b.append('\\').append(d);
        }
        i += 2;
      }
    }
    return b.toString();
  }
}
