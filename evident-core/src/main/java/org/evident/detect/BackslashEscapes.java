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
    int n = s.length();
    if (i < 0 || i == n - 1) {
      return s;
    }
    // runs without a backslash are copied whole; each escape is read by a method of its own,
    // so the loop the JIT compiles (also mid-loop, for long values) stays small
    StringBuilder b = new StringBuilder(n);
    int from = 0;
    while (i >= 0) {
      b.append(s, from, i);
      if (i == n - 1) {
        from = i; // a backslash at the end stays as written
        break;
      }
      from = escape(s, i, javaScript, b);
      i = s.indexOf('\\', from);
    }
    return b.append(s, from, n).toString();
  }

  /** Appends the escape at {@code s[i]} (a backslash with a character after it) decoded. */
  private static int escape(String s, int i, boolean javaScript, StringBuilder b) {
    char d = s.charAt(i + 1);
    int u = javaScript && (d == 'u' || d == 'U') ? Hex.value(s, i + 2, 4) : -1;
    if (u >= 0) {
      // as ModSecurity: the low byte, with full-width ASCII mapped to ASCII
      int low = u & 0xff;
      if (u >= 0xff01 && u <= 0xff5e) {
        low = (low + 0x20) & 0xff;
      }
      b.append((char) low);
      return i + 6;
    }
    int x = (d == 'x' || d == 'X') ? Hex.value(s, i + 2, 2) : -1;
    if (x >= 0) {
      b.append((char) x);
      return i + 4;
    }
    if (d >= '0' && d <= '7') {
      return octal(s, i, b);
    }
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
    return i + 2;
  }

  /** Up to three octal digits after the backslash at {@code i}, at most 0xff. */
  private static int octal(String s, int i, StringBuilder b) {
    int n = s.length();
    int v = 0;
    int k = i + 1;
    while (k < n && k < i + 4 && s.charAt(k) >= '0' && s.charAt(k) <= '7'
        && v * 8 + (s.charAt(k) - '0') <= 0xff) {
      v = v * 8 + (s.charAt(k) - '0');
      k++;
    }
    b.append((char) v);
    return k;
  }
}
