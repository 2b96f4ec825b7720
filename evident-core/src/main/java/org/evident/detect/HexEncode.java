package org.evident.detect;

/** Encodes each character's low byte as two lower-case hex digits (after {@code sha1}, say). */
final class HexEncode implements Transformation {

  @Override
  public String name() {
    return "hexEncode";
  }

  @Override
  public String apply(String s) {
    StringBuilder b = new StringBuilder(s.length() * 2);
    for (int i = 0; i < s.length(); i++) {
      int v = s.charAt(i) & 0xff;
      b.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 15, 16));
    }
    return b.toString();
  }
}
