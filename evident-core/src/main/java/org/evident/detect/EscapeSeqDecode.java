package org.evident.detect;

/**
 * Decodes ANSI C escapes ({@code \\n}, {@code \\xHH}, octal {@code \\OOO}, ...); unlike
 * {@code jsDecode} it knows no {@code \\u}.
 */
final class EscapeSeqDecode implements Transformation {

  @Override
  public String name() {
    return "escapeSeqDecode";
  }

  @Override
  public String triggers() {
    return "\\";
  }

  @Override
  public String apply(String s) {
    int i = s.indexOf('\\');
    if (i < 0) {
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
      int x = (d == 'x' || d == 'X') ? Hex.value(s, i + 2, 2) : -1;
      if (x >= 0) {
        b.append((char) x);
        i += 4;
      } else if (d >= '0' && d <= '7') {
        int v = 0;
        int k = i + 1;
        while (k < n && k < i + 4 && s.charAt(k) >= '0' && s.charAt(k) <= '7') {
          v = v * 8 + (s.charAt(k) - '0');
          k++;
        }
        b.append((char) (v & 0xff));
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
        if (r == 0) {
          b.append('\\').append(d); // not an escape: keep it as written
        } else {
          b.append(r);
        }
        i += 2;
      }
    }
    return b.toString();
  }
}
