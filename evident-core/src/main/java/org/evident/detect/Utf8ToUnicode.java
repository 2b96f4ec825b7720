package org.evident.detect;

/**
 * Writes every character beyond ASCII as {@code %uHHHH}, ModSecurity's {@code utf8toUnicode}, so
 * rules can match Unicode evasions by their code points.
 */
final class Utf8ToUnicode implements Transformation {

  /**
   * Lower-case digits, as ModSecurity writes them. Not {@code String.format}: CRS applies this to
   * every argument, and a formatter per character was a tenth of a CRS scan's transformations.
   */
  private static final java.util.HexFormat HEX = java.util.HexFormat.of();

  @Override
  public String name() {
    return "utf8toUnicode";
  }

  /** None: it changes nothing but characters beyond ASCII. */
  @Override
  public String triggers() {
    return "";
  }

  @Override
  public String apply(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (b == null) {
          b = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        b.append("%u").append(HEX.toHexDigits(c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }
}
