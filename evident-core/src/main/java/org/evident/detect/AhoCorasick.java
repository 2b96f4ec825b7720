package org.evident.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-pattern substring search in one pass (Aho-Corasick), ASCII case-insensitive. Transitions
 * are a dense table over character classes: each ASCII character that occurs in a pattern is a
 * class, every other character shares class 0, so the table stays small enough for the CPU cache.
 * Characters beyond ASCII share one class, and matches of patterns that contain such characters
 * are confirmed against the text.
 *
 * <p>Patterns may hold {@link RegexLiterals#TEXT_START} and {@link RegexLiterals#TEXT_END}:
 * {@link #scan} reads them before and after the text (never from it), so such a pattern
 * matches only at the text's start or end.
 */
final class AhoCorasick {
  private static final int SYMBOLS = 130;
  private static final int OTHER = 127;
  private static final int START = 128;
  private static final int END = 129;

  private final String[] patterns;
  private final boolean[] needsCheck;
  /** Each pattern with its case folded, for {@link #confirm}. */
  private final String[] folded;
  /** Transitions as unsigned 16-bit states when they fit, else as ints. */
  private final char[] table16;
  private final int[] table32;
  private final int[][] output;
  private final int[] classOf = new int[SYMBOLS];
  private final int classes;

  AhoCorasick(List<String> words) {
    this.patterns = words.toArray(new String[0]);
    this.needsCheck = new boolean[patterns.length];
    this.folded = new String[patterns.length];
    // character classes first: every ASCII character a pattern uses is a class, upper case shares
    // its lower-case class, all the rest is class 0; the automaton is then built over classes,
    // a few dozen wide instead of 128, which is most of the work for large phrase lists
    boolean[] used = new boolean[SYMBOLS];
    for (int w = 0; w < patterns.length; w++) {
      String p = patterns[w];
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty phrase");
      }
      StringBuilder f = new StringBuilder(p.length());
      for (int i = 0; i < p.length(); i++) {
        int sym = symbol(p.charAt(i));
        used[sym] = true;
        needsCheck[w] |= sym == OTHER;
        f.append(fold(p.charAt(i)));
      }
      folded[w] = f.toString();
      if (needsCheck[w] && (p.indexOf(RegexLiterals.TEXT_START) >= 0
          || p.indexOf(RegexLiterals.TEXT_END) >= 0)) {
        throw new IllegalArgumentException("an anchored phrase must be ASCII");
      }
    }
    int c = 1;
    for (int sym = 0; sym < SYMBOLS; sym++) {
      if (used[sym]) {
        classOf[sym] = c++;
      }
    }
    this.classes = c;
    for (int sym = 'A'; sym <= 'Z'; sym++) {
      classOf[sym] = classOf[sym + 32];
    }
    List<int[]> trie = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    trie.add(newRow(classes));
    out.add(new ArrayList<>());
    for (int w = 0; w < patterns.length; w++) {
      String p = patterns[w];
      int state = 0;
      for (int i = 0; i < p.length(); i++) {
        int k = classOf[symbol(p.charAt(i))];
        int[] row = trie.get(state);
        if (row[k] < 0) {
          row[k] = trie.size();
          trie.add(newRow(classes));
          out.add(new ArrayList<>());
        }
        state = row[k];
      }
      out.get(state).add(w);
    }
    int n = trie.size();
    int[][] next = trie.toArray(new int[0][]);
    int[] fail = new int[n];
    output = new int[n][];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int k = 0; k < classes; k++) {
      if (next[0][k] < 0) {
        next[0][k] = 0; // class 0 (no pattern uses it) always lands here
      } else {
        fail[next[0][k]] = 0;
        queue.add(next[0][k]);
      }
    }
    List<Integer> order = new ArrayList<>();
    while (!queue.isEmpty()) {
      int st = queue.poll();
      order.add(st);
      for (int k = 0; k < classes; k++) {
        int t = next[st][k];
        if (t < 0) {
          next[st][k] = next[fail[st]][k];
        } else {
          fail[t] = next[fail[st]][k];
          queue.add(t);
        }
      }
    }
    output[0] = out.get(0).stream().mapToInt(Integer::intValue).toArray();
    for (int st : order) {
      List<Integer> o = new ArrayList<>(out.get(st));
      for (int x : output[fail[st]]) {
        o.add(x);
      }
      output[st] = o.stream().mapToInt(Integer::intValue).toArray();
    }
    // each entry holds the next state shifted left by one, its low bit saying whether that state
    // reports patterns: one load per character, no second lookup for the common no-output case
    int[] t32 = new int[n * classes];
    for (int st = 0; st < n; st++) {
      for (int k = 0; k < classes; k++) {
        int to = next[st][k];
        t32[st * classes + k] = (to << 1) | (output[to].length > 0 ? 1 : 0);
      }
    }
    if (n < 32_768) {
      table16 = new char[t32.length];
      for (int i = 0; i < t32.length; i++) {
        table16[i] = (char) t32[i];
      }
      table32 = null;
    } else {
      table16 = null;
      table32 = t32;
    }
  }

  private static int[] newRow(int width) {
    int[] r = new int[width];
    Arrays.fill(r, -1);
    return r;
  }

  /**
   * The symbol of a pattern's character: ASCII folded to lower case, the anchors their own,
   * everything else {@link #OTHER}.
   */
  private static int symbol(char c) {
    if (c == RegexLiterals.TEXT_START) {
      return START;
    }
    if (c == RegexLiterals.TEXT_END) {
      return END;
    }
    return textSymbol(c);
  }

  /** The symbol of a text's character: an anchor character in a text is just text. */
  private static int textSymbol(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c + 32;
    }
    return c < OTHER ? c : OTHER;
  }

  /** Number of patterns. */
  int size() {
    return patterns.length;
  }

  /**
   * Collects the index of every distinct pattern found into {@code hits} and returns how many.
   * {@code seen} (one slot per pattern) and {@code pass} dedupe: a slot equal to {@code pass}
   * means the pattern was already reported in this pass; callers bump {@code pass} per scan.
   * {@code hits} needs one slot per pattern, so nothing found is ever dropped.
   */
  int scan(String text, int[] hits, int[] seen, int pass) {
    final char[] t16 = table16;
    final int[] cls = classOf;
    final int width = classes;
    // no pattern is a bare anchor, so the start reports nothing
    int state = cls[START] == 0 ? 0 : (t16 != null ? t16[cls[START]] : table32[cls[START]]) >>> 1;
    int n = 0;
    final int len = text.length();
    for (int i = 0; i < len; i++) {
      char c = text.charAt(i);
      int k = cls[c < OTHER ? c : OTHER];
      int v = t16 != null ? t16[state * width + k] : table32[state * width + k];
      state = v >>> 1;
      if ((v & 1) == 0) {
        continue;
      }
      int fc = -1; // c with its case folded, computed once, when a pattern needs it
      for (int w : output[state]) {
        if (seen[w] == pass) {
          continue;
        }
        if (needsCheck[w]) {
          if (fc < 0) {
            fc = fold(c);
          }
          if (!confirm(text, i, w, (char) fc)) {
            continue;
          }
        }
        seen[w] = pass;
        hits[n++] = w;
      }
    }
    if (cls[END] != 0) {
      int v = t16 != null ? t16[state * width + cls[END]] : table32[state * width + cls[END]];
      if ((v & 1) != 0) {
        for (int w : output[v >>> 1]) {
          if (seen[w] != pass) { // patterns that end here end in the anchor: ASCII, no check
            seen[w] = pass;
            hits[n++] = w;
          }
        }
      }
    }
    return n;
  }

  /** The index of the first pattern to end in the text, or -1. */
  int first(String text) {
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      int k = classOf[textSymbol(text.charAt(i))];
      state = (table16 != null ? table16[state * classes + k] : table32[state * classes + k]) >>> 1;
      for (int w : output[state]) {
        if (!needsCheck[w] || confirm(text, i, w, fold(text.charAt(i)))) {
          return w;
        }
      }
    }
    return -1;
  }

  /**
   * Whether a pattern with characters beyond ASCII really ends at {@code end}: every such
   * character shares one class, so any of them reaches these states. Compared from the end,
   * where the differing character usually is, with case folded as {@code regionMatches} does;
   * called once per character beyond ASCII in the text, so it must fail fast.
   */
  private boolean confirm(String text, int end, int w, char lastFolded) {
    String p = folded[w];
    int start = end - p.length() + 1;
    if (start < 0 || lastFolded != p.charAt(p.length() - 1)) {
      return false;
    }
    for (int k = p.length() - 2; k >= 0; k--) {
      char a = text.charAt(start + k);
      if (a != p.charAt(k) && fold(a) != p.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static char fold(char c) {
    if (c < 128) {
      return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
    return Character.toLowerCase(Character.toUpperCase(c));
  }
}
