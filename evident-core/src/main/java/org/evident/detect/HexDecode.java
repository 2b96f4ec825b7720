package org.evident.detect;

/** Decodes a string of hex digit pairs into the bytes they spell; anything else is left as is. */
final class HexDecode implements Transformation {

  @Override
  public String name() {
    return "hexDecode";
  }

  @Override
  public String apply(String s) {
    if (s.isEmpty() || s.length() % 2 != 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() / 2);
    for (int i = 0; i < s.length(); i += 2) {
      int v = Hex.value(s, i, 2);
      if (v < 0) {
        return s;
      }
      b.append((char) v);
    }
    return b.toString();
  }
}
