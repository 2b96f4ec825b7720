package org.evident.detect;

/**
 * Turns every run of white space (including vertical tab, form feed and non-breaking space) into
 * one space, so {@code union%09%0bselect} reads as {@code union select}.
 */
final class CompressWhitespace implements Transformation {

  @Override
  public String name() {
    return "compressWhitespace";
  }

  @Override
  public String triggers() {
    return " \t\n\r\u000b\f";
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f'
        || c == 0xa0;
  }

  @Override
  public String apply(String s) {
    int n = s.length();
    boolean need = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > ' ' && c != 0xa0) {
        continue;
      }
      if (isSpace(c) && (c != ' ' || (i + 1 < n && isSpace(s.charAt(i + 1))))) {
        need = true;
        break;
      }
    }
    if (!need) {
      return s;
    }
    StringBuilder out = new StringBuilder(n);
    boolean inSpace = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (isSpace(c)) {
        if (!inSpace) {
          out.append(' ');
        }
        inSpace = true;
      } else {
        out.append(c);
        inSpace = false;
      }
    }
    return out.toString();
  }
}
