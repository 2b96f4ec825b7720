package org.evident.detect;

/** Removes all white space, so {@code s e l e c t} reads {@code select}. */
final class RemoveWhitespace implements Transformation {

  @Override
  public String name() {
    return "removeWhitespace";
  }

  @Override
  public String triggers() {
    return " \t\n\r\u000b\f";
  }

  @Override
  public String apply(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (CompressWhitespace.isSpace(c)) {
        if (b == null) {
          b = new StringBuilder(s.length()).append(s, 0, i);
        }
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }
}
