package org.evident.detect;

/** Removes white space at the start, the end, or both ({@code trimLeft}, {@code trimRight}). */
final class Trim implements Transformation {
  private final boolean left;
  private final boolean right;

  Trim(boolean left, boolean right) {
    this.left = left;
    this.right = right;
  }

  @Override
  public String name() {
    return left && right ? "trim" : left ? "trimLeft" : "trimRight";
  }

  @Override
  public String triggers() {
    return " \t\n\r\u000b\f";
  }

  @Override
  public String apply(String s) {
    int a = 0;
    int z = s.length();
    while (left && a < z && CompressWhitespace.isSpace(s.charAt(a))) {
      a++;
    }
    while (right && z > a && CompressWhitespace.isSpace(s.charAt(z - 1))) {
      z--;
    }
    return a == 0 && z == s.length() ? s : s.substring(a, z);
  }
}
