package org.evident.detect;

/**
 * Decodes JavaScript escapes: {@code \\uHHHH}, {@code \\xHH}, octal {@code \\OOO} and the one-letter
 * escapes. As in ModSecurity, {@code \\uHHHH} keeps its low byte, and full-width ASCII
 * ({@code \\uFF01}-{@code \\uFF5E}) becomes the ASCII character it imitates.
 */
final class JsDecode implements Transformation {

  @Override
  public String name() {
    return "jsDecode";
  }

  @Override
  public String triggers() {
    return "\\";
  }

  @Override
  public String apply(String s) {
    return BackslashEscapes.decode(s, true);
  }
}
