package org.evident.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * For each character of the Basic Multilingual Plane, the characters that equal it when case is
 * ignored (k, K and the Kelvin sign; s, S and the long s): what a case-insensitive pattern
 * matches for one letter. The orbits hold RE2/J's simple case folding and a few relations more
 * (the JDK's mappings are newer); {@link #inRe2} leaves those out, so that {@link DfaScreen}
 * folds exactly as RE2/J does.
 *
 * <p>The orbits are read from a table in the jar (case-orbits.txt, made from the JDK's case
 * mappings and checked against RE2/J's folding by CaseOrbitsTest) rather than worked out from
 * the mappings of all 65,536 characters at every start: that took a scan 20 ms at its first
 * screen and 80 ms of CPU, most of it compiling the loop that ran once.
 */
final class CaseOrbits {
  private static final int[][] ORBITS = read();
  /** The characters whose orbit holds more than themselves, sorted. */
  private static final int[] FOLDABLE = listFoldable();

  private CaseOrbits() {}

  /** The other characters equal to {@code c} when case is ignored; empty for most. */
  static int[] of(int c) {
    int[] o = ORBITS[c];
    return o == null ? new int[0] : o;
  }

  /**
   * The other characters RE2/J matches for {@code c} when case is ignored: its orbit less the
   * few characters RE2/J's older tables do not fold (the Turkish dotted and dotless i, which it
   * leaves alone, and the Cyrillic letter variants U+1C80 to U+1C88 of Unicode 9). A screen that
   * folds exactly as RE2/J does can say a text surely matches in any script; CaseOrbitsTest
   * checks this against RE2/J for every character.
   */
  static int[] inRe2(int c) {
    if (c == DOTTED_I || c == DOTLESS_I) {
      return new int[0];
    }
    int[] o = of(c);
    int kept = 0;
    for (int x : o) {
      kept += re2Folds(x) ? 1 : 0;
    }
    if (kept == o.length) {
      return o;
    }
    int[] out = new int[kept];
    int k = 0;
    for (int x : o) {
      if (re2Folds(x)) {
        out[k++] = x;
      }
    }
    return out;
  }

  private static final int DOTTED_I = 0x130;
  private static final int DOTLESS_I = 0x131;

  private static boolean re2Folds(int x) {
    return x != DOTTED_I && x != DOTLESS_I && (x < 0x1C80 || x > 0x1C88);
  }

  /** The characters whose orbit holds more than themselves, sorted. */
  static int[] foldable() {
    return FOLDABLE;
  }

  private static int[] listFoldable() {
    int n = 0;
    for (int[] o : ORBITS) {
      n += o != null ? 1 : 0;
    }
    int[] out = new int[n];
    for (int c = 0, k = 0; k < n; c++) {
      if (ORBITS[c] != null) {
        out[k++] = c;
      }
    }
    return out;
  }

  /** The table: per character with an orbit, the orbit's other members, ascending. */
  private static int[][] read() {
    String table;
    try (InputStream in = CaseOrbits.class.getResourceAsStream("case-orbits.txt")) {
      if (in == null) {
        throw new IllegalStateException("case-orbits.txt missing from the jar");
      }
      table = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read case-orbits.txt", e);
    }
    int[][] orbits = new int[0x10000][];
    for (String line : table.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] hex = line.strip().split(" ");
      int[] members = new int[hex.length];
      for (int i = 0; i < hex.length; i++) {
        members[i] = Integer.parseInt(hex[i], 16);
      }
      for (int c : members) {
        int[] others = new int[members.length - 1];
        int k = 0;
        for (int x : members) {
          if (x != c) {
            others[k++] = x;
          }
        }
        orbits[c] = others;
      }
    }
    return orbits;
  }

  static boolean contains(int[] ranges, int c) {
    int lo = 0;
    int hi = ranges.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (c < ranges[2 * mid]) {
        hi = mid - 1;
      } else if (c > ranges[2 * mid + 1]) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }
}
