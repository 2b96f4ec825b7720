package org.evident.detect;

/** Removes the comment markers themselves ({@code /*}, {@code *}{@code /}, {@code --}, {@code #}). */
final class RemoveCommentsChar implements Transformation {

  @Override
  public String name() {
    return "removeCommentsChar";
  }

  @Override
  public String triggers() {
    return "*-#";
  }

  @Override
  public String apply(String s) {
    if (s.indexOf("/*") < 0 && s.indexOf("*/") < 0 && s.indexOf("--") < 0
        && s.indexOf('#') < 0) {
      return s;
    }
    return s.replace("/*", "").replace("*/", "").replace("--", "").replace("#", "");
  }
}
