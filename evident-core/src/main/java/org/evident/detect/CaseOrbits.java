package org.evident.detect;

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

  /**
   * One pass over the plane for the case mappings; the orbits are then gathered from the few
   * thousand characters that have one (every scan builds this on first use: the passes over all
   * 65,536 were most of its 80 ms).
   */
  private static int[][] build() {
    int[] parent = new int[0x10000];
    for (int c = 0; c <= 0xFFFF; c++) {
      parent[c] = c;
    }
    boolean[] mapped = new boolean[0x10000];
    for (int c = 0; c <= 0xFFFF; c++) {
      if (Character.isSurrogate((char) c)) {
        continue;
      }
      link(parent, mapped, c, Character.toLowerCase(c));
      link(parent, mapped, c, Character.toUpperCase(c));
      link(parent, mapped, c, Character.toTitleCase(c));
    }
    int n = 0;
    int[] members = new int[0x10000];
    for (int c = 0; c <= 0xFFFF; c++) {
      if (mapped[c]) {
        members[n++] = c; // ascending, so each orbit lists its members in order
      }
    }
    // the members of each orbit, gathered by its root
    int[] count = new int[0x10000];
    for (int i = 0; i < n; i++) {
      count[find(parent, members[i])]++;
    }
    int[][] byRoot = new int[0x10000][];
    int[] filled = new int[0x10000];
    for (int i = 0; i < n; i++) {
      int r = find(parent, members[i]);
      if (byRoot[r] == null) {
        byRoot[r] = new int[count[r]];
      }
      byRoot[r][filled[r]++] = members[i];
    }
    int[][] orbits = new int[0x10000][];
    for (int i = 0; i < n; i++) {
      int c = members[i];
      int[] m = byRoot[find(parent, c)];
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

  private static void link(int[] parent, boolean[] mapped, int c, int o) {
    if (o != c && o <= 0xFFFF) {
      union(parent, c, o);
      mapped[c] = true;
      mapped[o] = true;
    }
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
