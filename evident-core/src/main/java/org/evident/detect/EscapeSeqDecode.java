package org.evident.detect;

/**
 * Decodes ANSI C escapes ({@code \\n}, {@code \\xHH}, octal {@code \\OOO}, ...); unlike
 * {@code jsDecode} it knows no {@code \\u}.
 */
final class EscapeSeqDecode implements Transformation {

  @Override
  public String name() {
    return "escapeSeqDecode";
  }

  @Override
  public String triggers() {
    return "\\";
  }

  @Override
  public String apply(String s) {
    return BackslashEscapes.decode(s, false);
  }
}
