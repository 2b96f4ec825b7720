package org.evident.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * For each character of the Basic Multilingual Plane, the characters that equal it when case is
 * ignored (k, K and the Kelvin sign; s, S and the long s): what a case-insensitive pattern
 * matches for one letter. Read from the JDK's Unicode case mappings, so it holds at least the
 * simple case folding RE2 uses: a superset is what {@link DfaScreen} needs.
 */
final class CaseOrbits {
  private static final int[][] ORBITS = build();
  /** The characters whose orbit holds more than themselves, sorted. */
  private static final int[] FOLDABLE = listFoldable();

  private CaseOrbits() {}

  /** The other characters equal to {@code c} when case is ignored; empty for most. */
  static int[] of(int c) {
    int[] o = ORBITS[c];
    return o == null ? new int[0] : o;
  }

  /** The characters whose orbit holds more than themselves, sorted. */
  static int[] foldable() {
    return FOLDABLE;
  }

  private static int[] listFoldable() {
    List<Integer> out = new ArrayList<>();
    for (int c = 0; c <= 0xFFFF; c++) {
      if (ORBITS[c] != null) {
        out.add(c);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[][] build() {
    int[] parent = new int[0x10000];
    for (int c = 0; c <= 0xFFFF; c++) {
      parent[c] = c;
    }
    for (int c = 0; c <= 0xFFFF; c++) {
      if (Character.isSurrogate((char) c)) {
        continue;
      }
      for (int o : new int[] {Character.toLowerCase(c), Character.toUpperCase(c),
          Character.toTitleCase(c)}) {
        if (o != c && o <= 0xFFFF) {
          union(parent, c, o);
        }
      }
    }
    // the members of each orbit, gathered by its root
    int[] count = new int[0x10000];
    for (int c = 0; c <= 0xFFFF; c++) {
      count[find(parent, c)]++;
    }
    int[][] orbits = new int[0x10000][];
    int[][] byRoot = new int[0x10000][];
    int[] filled = new int[0x10000];
    for (int c = 0; c <= 0xFFFF; c++) {
      int r = find(parent, c);
      if (count[r] < 2) {
        continue;
      }
      if (byRoot[r] == null) {
        byRoot[r] = new int[count[r]];
      }
      byRoot[r][filled[r]++] = c;
    }
    for (int c = 0; c <= 0xFFFF; c++) {
      int[] m = byRoot[find(parent, c)];
      if (m == null) {
        continue;
      }
      int[] others = new int[m.length - 1];
      int k = 0;
      for (int x : m) {
        if (x != c) {
          others[k++] = x;
        }
      }
      orbits[c] = others;
    }
    return orbits;
  }

  private static int find(int[] parent, int c) {
    while (parent[c] != c) {
      parent[c] = parent[parent[c]];
      c = parent[c];
    }
    return c;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
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
