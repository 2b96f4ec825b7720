package org.evident.detect;

import java.nio.charset.StandardCharsets;

/**
 * Decodes Base64 (standard or URL-safe alphabet, padding optional) up to the first character
 * outside the alphabet, as ModSecurity does; text that does not start as Base64 is left as is.
 * Bytes are kept one per character, so the result can be matched byte for byte.
 */
final class Base64Decode implements Transformation {

  @Override
  public String name() {
    return "base64Decode";
  }

  @Override
  public String apply(String s) {
    int n = 0;
    while (n < s.length() && value(s.charAt(n)) >= 0) {
      n++;
    }
    if (n < 2) {
      return s;
    }
    byte[] out = new byte[n * 3 / 4 + 3];
    int len = 0;
    int acc = 0;
    int bits = 0;
    for (int i = 0; i < n; i++) {
      acc = (acc << 6) | value(s.charAt(i));
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[len++] = (byte) (acc >> bits);
        acc &= (1 << bits) - 1;
      }
    }
    return new String(out, 0, len, StandardCharsets.ISO_8859_1);
  }

  /** Each ASCII character's value in either alphabet, or -1: one load instead of five tests. */
  private static final byte[] VALUE = new byte[128];

  static {
    java.util.Arrays.fill(VALUE, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUE[alphabet.charAt(i)] = (byte) i;
    }
    VALUE['+'] = 62;
    VALUE['-'] = 62;
    VALUE['/'] = 63;
    VALUE['_'] = 63;
  }

  private static int value(char c) {
    return c < 128 ? VALUE[c] : -1;
  }
}
