package org.evident.detect;

/** Reading hexadecimal digits out of text, shared by the decoding transformations. */
final class Hex {
  private Hex() {}

  private static final int[] DIGIT = new int[128];

  static {
    java.util.Arrays.fill(DIGIT, -1);
    for (int c = '0'; c <= '9'; c++) {
      DIGIT[c] = c - '0';
    }
    for (int c = 'a'; c <= 'f'; c++) {
      DIGIT[c] = c - 'a' + 10;
      DIGIT[c - 32] = c - 'a' + 10;
    }
  }

  /** The value of one hex digit, or -1. */
  static int digit(char c) {
    return c < 128 ? DIGIT[c] : -1;
  }

  /** The value of exactly {@code len} hex digits at {@code from}, or -1 if they are not. */
  static int value(String s, int from, int len) {
    if (from < 0 || from + len > s.length()) {
      return -1;
    }
    int v = 0;
    for (int k = from; k < from + len; k++) {
      int d = digit(s.charAt(k));
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}
