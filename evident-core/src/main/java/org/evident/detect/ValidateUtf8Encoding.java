package org.evident.detect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code @validateUtf8Encoding}: matches when the bytes the target spells are not valid UTF-8
 * (overlong forms, surrogates, truncated sequences). Percent escapes are read as the bytes they
 * encode, so it works on targets as logged, before {@code urlDecode}.
 */
final class ValidateUtf8Encoding implements Operator {

  @Override
  public String name() {
    return "validateUtf8Encoding";
  }

  @Override
  public String find(String input) {
    if (ascii(input)) {
      return null; // nearly every value, with CRS's 920250 judging each argument and path
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(input.length());
    boolean nonAscii = false;
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      int v = c == '%' ? Hex.value(input, i + 1, 2) : -1;
      if (v >= 0) {
        bytes.write(v);
        nonAscii |= v >= 0x80;
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(u, 0, u.length);
      }
    }
    if (!nonAscii) {
      return null;
    }
    byte[] b = bytes.toByteArray();
    return Utf8.isValid(b, 0, b.length) ? null : Operator.clip(input);
  }

  /** Whether the text spells only ASCII bytes: no such character, no escape of a byte above. */
  private static boolean ascii(String input) {
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c >= 0x80 || c == '%' && Hex.value(input, i + 1, 2) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
