package org.evident.detect;

/** Lower-cases ASCII and the rest of Unicode, locale-independently. */
final class Lowercase implements Transformation {

  @Override
  public String name() {
    return "lowercase";
  }

  @Override
  public String triggers() {
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  }

  @Override
  public String apply(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 'A' && c <= 'Z') || c >= 128) {
        return s.toLowerCase(java.util.Locale.ROOT);
      }
    }
    return s;
  }
}
