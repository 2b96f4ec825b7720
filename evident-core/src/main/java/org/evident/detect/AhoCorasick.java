package org.evident.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-pattern substring search in one pass (Aho-Corasick), ASCII case-insensitive. Transitions
 * are a dense table over 128 symbols; characters beyond ASCII share one symbol, and matches of
 * patterns that contain such characters are confirmed against the text.
 */
final class AhoCorasick {
  private static final int SYMBOLS = 128;
  private static final int OTHER = 127;

  private final String[] patterns;
  private final boolean[] needsCheck;
  private final int[] table;
  private final int[][] output;

  AhoCorasick(List<String> words) {
    this.patterns = words.toArray(new String[0]);
    this.needsCheck = new boolean[patterns.length];
    List<int[]> trie = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    trie.add(newRow());
    out.add(new ArrayList<>());
    for (int w = 0; w < patterns.length; w++) {
      String p = patterns[w];
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty phrase");
      }
      int state = 0;
      for (int i = 0; i < p.length(); i++) {
        int sym = symbol(p.charAt(i));
        if (sym == OTHER) {
          needsCheck[w] = true;
        }
        int[] row = trie.get(state);
        if (row[sym] < 0) {
          row[sym] = trie.size();
          trie.add(newRow());
          out.add(new ArrayList<>());
        }
        state = row[sym];
      }
      out.get(state).add(w);
    }
    int n = trie.size();
    int[][] next = new int[n][];
    int[] fail = new int[n];
    output = new int[n][];
    for (int s = 0; s < n; s++) {
      next[s] = trie.get(s);
    }
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < SYMBOLS; c++) {
      if (next[0][c] < 0) {
        next[0][c] = 0;
      } else {
        fail[next[0][c]] = 0;
        queue.add(next[0][c]);
      }
    }
    List<Integer> order = new ArrayList<>();
    while (!queue.isEmpty()) {
      int s = queue.poll();
      order.add(s);
      for (int c = 0; c < SYMBOLS; c++) {
        int t = next[s][c];
        if (t < 0) {
          next[s][c] = next[fail[s]][c];
        } else {
          fail[t] = next[fail[s]][c];
          queue.add(t);
        }
      }
    }
    table = new int[n * SYMBOLS];
    for (int st = 0; st < n; st++) {
      System.arraycopy(next[st], 0, table, st * SYMBOLS, SYMBOLS);
    }
    output[0] = out.get(0).stream().mapToInt(Integer::intValue).toArray();
    for (int s : order) {
      List<Integer> o = new ArrayList<>(out.get(s));
      for (int x : output[fail[s]]) {
        o.add(x);
      }
      output[s] = o.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private static int[] newRow() {
    int[] r = new int[SYMBOLS];
    Arrays.fill(r, -1);
    return r;
  }

  private static int symbol(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c + 32;
    }
    return c < OTHER ? c : OTHER;
  }

  /**
   * Collects the indexes of patterns found into {@code hits} (a pattern may appear more than
   * once) and returns how many were written; stops early when {@code hits} is full.
   */
  int scan(String text, int[] hits) {
    int state = 0;
    int n = 0;
    final int[] t = table;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int sym = c < OTHER ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : OTHER;
      state = t[state * SYMBOLS + sym];
      int[] o = output[state];
      if (o.length == 0) {
        continue;
      }
      for (int w : o) {
        if ((!needsCheck[w] || confirm(text, i, w)) && n < hits.length) {
          hits[n++] = w;
        }
      }
      if (n == hits.length) {
        return n;
      }
    }
    return n;
  }

  /** The index of the first pattern to end in the text, or -1. */
  int first(String text) {
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      state = table[state * SYMBOLS + symbol(text.charAt(i))];
      for (int w : output[state]) {
        if (!needsCheck[w] || confirm(text, i, w)) {
          return w;
        }
      }
    }
    return -1;
  }

  private boolean confirm(String text, int end, int w) {
    String p = patterns[w];
    return text.regionMatches(true, end - p.length() + 1, p, 0, p.length());
  }
}
