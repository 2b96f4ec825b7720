package org.evident.detect;

/**
 * Writes every character beyond ASCII as {@code %uHHHH}, ModSecurity's {@code utf8toUnicode}, so
 * rules can match Unicode evasions by their code points. Bytes a log escapes (Apache's
 * {@code \xef\xbc\x9c}) are a character each, as ModSecurity holds a request's bytes: a valid
 * UTF-8 sequence of them is one code point ({@code %uff1c}, the fullwidth {@code <} that
 * {@code urlDecodeUni} then reads as {@code <}); a byte in no valid sequence is written alone.
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
        int n = sequence(s, i);
        if (n > 1) {
          int cp = c & (0xff >> (n + 1));
          for (int k = 1; k < n; k++) {
            cp = cp << 6 | (s.charAt(i + k) & 0x3f);
          }
          i += n - 1;
          if (cp > 0xffff) {
            b.append("%u").append(HEX.toHexDigits(Character.highSurrogate(cp)))
                .append("%u").append(HEX.toHexDigits(Character.lowSurrogate(cp)));
            continue;
          }
          c = (char) cp;
        }
        b.append("%u").append(HEX.toHexDigits(c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  /**
   * The length of the valid UTF-8 sequence of byte characters starting at {@code s[i]}: 2 to 4,
   * or 1 when none starts there (shortest forms only, no surrogates, at most U+10FFFF).
   */
  private static int sequence(String s, int i) {
    int lead = s.charAt(i);
    int n = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3
        : lead >= 0xf0 && lead <= 0xf4 ? 4 : 1;
    if (n == 1 || i + n > s.length()) {
      return 1;
    }
    for (int k = 1; k < n; k++) {
      char t = s.charAt(i + k);
      if (t < 0x80 || t > 0xbf) {
        return 1;
      }
    }
    char second = s.charAt(i + 1);
    if (lead == 0xe0 && second < 0xa0 || lead == 0xed && second > 0x9f
        || lead == 0xf0 && second < 0x90 || lead == 0xf4 && second > 0x8f) {
      return 1; // an overlong form, a surrogate, or beyond U+10FFFF
    }
    return n;
  }
}
