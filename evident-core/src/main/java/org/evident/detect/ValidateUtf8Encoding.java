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
}
