package org.evident.detect;

/** The length of the text in characters, as decimal text, for numeric operators. */
final class Length implements Transformation {

  @Override
  public String name() {
    return "length";
  }

  @Override
  public String apply(String s) {
    return Integer.toString(s.length());
  }
}
