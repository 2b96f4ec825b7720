package org.evident.detect;

/** Replaces NUL characters with spaces, keeping the words on either side apart. */
final class ReplaceNulls implements Transformation {

  @Override
  public String name() {
    return "replaceNulls";
  }

  @Override
  public String triggers() {
    return "\0";
  }

  @Override
  public String apply(String s) {
    return s.indexOf('\0') < 0 ? s : s.replace('\0', ' ');
  }
}
