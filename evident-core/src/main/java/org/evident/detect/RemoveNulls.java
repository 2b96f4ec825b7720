package org.evident.detect;

/** Drops NUL characters, which C-based back ends ignore but patterns would trip over. */
final class RemoveNulls implements Transformation {

  @Override
  public String name() {
    return "removeNulls";
  }

  @Override
  public String triggers() {
    return "\0";
  }

  @Override
  public String apply(String s) {
    return s.indexOf('\0') < 0 ? s : s.replace("\0", "");
  }
}
