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

  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '+' || c == '-') {
      return 62;
    }
    if (c == '/' || c == '_') {
      return 63;
    }
    return -1;
  }
}
