package org.evident.detect;

/**
 * Decodes CSS escapes: a backslash and one to six hex digits (and one following white-space
 * character) give a character, a backslash before a newline disappears, a backslash before any
 * other character gives that character. Like ModSecurity, keeps the low byte, mapping full-width
 * ASCII to ASCII, so {@code ja\\76\\61script} reads {@code javascript}.
 */
final class CssDecode implements Transformation {

  @Override
  public String name() {
    return "cssDecode";
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
    StringBuilder b = new StringBuilder(s.length());
    b.append(s, 0, i);
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        i++;
        continue;
      }
      if (i + 1 >= n) {
        i++; // a lone trailing backslash is dropped
        continue;
      }
      int k = i + 1;
      int v = 0;
      while (k < n && k < i + 7 && Hex.digit(s.charAt(k)) >= 0) {
        v = v * 16 + Hex.digit(s.charAt(k));
        k++;
      }
      if (k > i + 1) {
        int low = v & 0xff;
        if (v >= 0xff01 && v <= 0xff5e) {
          low = (low + 0x20) & 0xff;
        }
        b.append((char) low);
        if (k < n && CompressWhitespace.isSpace(s.charAt(k))) {
          k++;
        }
        i = k;
      } else if (s.charAt(i + 1) == '\n') {
        i += 2;
      } else {
        b.append(s.charAt(i + 1));
        i += 2;
      }
    }
    return b.toString();
  }
}
