package org.evident.detect;

/**
 * {@code @validateByteRange}: matches when the target holds a character outside the allowed
 * ranges, written as in ModSecurity: {@code 1-255} or {@code 32-126,9,10}.
 */
final class ValidateByteRange implements Operator {
  private final boolean[] allowed = new boolean[256];
  /**
   * The few characters below 256 that are not allowed, when every byte of a UTF-8 form beyond
   * Latin-1 (0x80-0xFF) is: then a text fails only on one of them, and the JDK's vectorised
   * indexOf finds it (CRS 920270 allows 1-255 and runs on every URI and argument: a loop over
   * each character was 6.6 ns a character). Null when the loop is needed.
   */
  private final char[] refused;

  ValidateByteRange(String argument) {
    for (String part : argument.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      try {
        int dash = p.indexOf('-');
        int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
        int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
        if (lo < 0 || hi > 255 || lo > hi) {
          throw new NumberFormatException();
        }
        for (int v = lo; v <= hi; v++) {
          allowed[v] = true;
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("@validateByteRange: bad range '" + p + "'");
      }
    }
    this.refused = fewRefused(allowed);
  }

  private static char[] fewRefused(boolean[] allowed) {
    StringBuilder out = new StringBuilder();
    for (int c = 0; c < 256; c++) {
      if (!allowed[c]) {
        if (c >= 0x80 || out.length() == 4) {
          return null;
        }
        out.append((char) c);
      }
    }
    return out.toString().toCharArray();
  }

  @Override
  public String name() {
    return "validateByteRange";
  }

  /**
   * ModSecurity checks bytes: a character beyond Latin-1 is checked as the bytes of its UTF-8
   * form, which all lie in 0x80-0xFF (a lead byte of 0xC2-0xF4 and continuation bytes of
   * 0x80-0xBF).
   */
  @Override
  public String find(String input) {
    if (refused != null) {
      int first = -1;
      for (char c : refused) {
        int i = input.indexOf(c);
        if (i >= 0 && (first < 0 || i < first)) {
          first = i;
        }
      }
      return first < 0 ? null : Operator.clip(input.substring(first, first + 1));
    }
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c <= 255 ? !allowed[c] : !utf8Allowed(c)) {
        return Operator.clip(input.substring(i, i + 1));
      }
    }
    return null;
  }

  private boolean utf8Allowed(char c) {
    byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte x : b) {
      if (!allowed[x & 0xff]) {
        return false;
      }
    }
    return true;
  }
}
