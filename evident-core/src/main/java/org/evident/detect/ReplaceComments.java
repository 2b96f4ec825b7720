package org.evident.detect;

/**
 * Replaces each C-style comment with one space, as databases do: {@code UNION/**}{@code /SELECT}
 * then reads as {@code UNION SELECT}. An unterminated comment runs to the end.
 */
final class ReplaceComments implements Transformation {

  @Override
  public String name() {
    return "replaceComments";
  }

  @Override
  public String triggers() {
    return "*";
  }

  @Override
  public String apply(String s) {
    int start = s.indexOf("/*");
    if (start < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (start >= 0) {
      out.append(s, i, start).append(' ');
      int end = s.indexOf("*/", start + 2);
      if (end < 0) {
        return out.toString();
      }
      i = end + 2;
      start = s.indexOf("/*", i);
    }
    out.append(s, i, s.length());
    return out.toString();
  }
}
