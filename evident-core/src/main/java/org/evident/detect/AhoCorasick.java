package org.evident.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Multi-pattern substring search in one pass (Aho-Corasick), case-insensitive: a text character
 * matches a pattern character when both fold (upper, then lower case) to the same character.
 * Transitions are a dense table over character classes: each folded character that occurs in a
 * pattern is a class, every other character shares class 0, so the table stays small enough for
 * the CPU cache. ASCII finds its class in one lookup; a character beyond ASCII is folded and
 * looked up among the few such characters the patterns hold, so text in other scripts costs a
 * short search per character and never a comparison against the patterns.
 *
 * <p>Patterns may hold {@link RegexLiterals#TEXT_START} and {@link RegexLiterals#TEXT_END}:
 * {@link #scan} reads them before and after the text (never from it), so such a pattern
 * matches only at the text's start or end.
 */
final class AhoCorasick {
  /** Symbols: ASCII folded to lower case, the two anchors, then the folded wide characters. */
  private static final int START = 128;
  private static final int END = 129;
  private static final int WIDE = 130;

  private final String[] patterns;
  /** Transitions as unsigned 16-bit states when they fit, else as ints. */
  private final char[] table16;
  private final int[] table32;
  private final int[][] output;
  /** Per symbol, its class; A-Z share their lower-case letter's. */
  private final int[] classOf;
  /** The folded characters beyond ASCII that patterns hold, sorted, and their classes. */
  private final char[] wide;
  private final int[] wideClass;
  private final int classes;

  AhoCorasick(List<String> words) {
    this.patterns = words.toArray(new String[0]);
    TreeSet<Character> wideChars = new TreeSet<>();
    for (String p : patterns) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty phrase");
      }
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c >= 128 && c != RegexLiterals.TEXT_START && c != RegexLiterals.TEXT_END) {
          wideChars.add(fold(c));
        }
      }
    }
    this.wide = new char[wideChars.size()];
    int at = 0;
    for (char w : wideChars) {
      wide[at++] = w;
    }
    // character classes first: every character a pattern uses is a class, upper case shares
    // its lower-case class, all the rest is class 0; the automaton is then built over classes,
    // a few dozen wide instead of 128, which is most of the work for large phrase lists
    int symbols = WIDE + wide.length;
    boolean[] used = new boolean[symbols];
    for (String p : patterns) {
      for (int i = 0; i < p.length(); i++) {
        used[symbol(p.charAt(i))] = true;
      }
    }
    this.classOf = new int[symbols];
    int c = 1;
    for (int sym = 0; sym < symbols; sym++) {
      if (used[sym]) {
        classOf[sym] = c++;
      }
    }
    this.classes = c;
    for (int sym = 'A'; sym <= 'Z'; sym++) {
      classOf[sym] = classOf[sym + 32];
    }
    this.wideClass = Arrays.copyOfRange(classOf, WIDE, symbols);
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

  /** The symbol of a pattern's character: the anchors their own, the rest folded. */
  private int symbol(char c) {
    if (c == RegexLiterals.TEXT_START) {
      return START;
    }
    if (c == RegexLiterals.TEXT_END) {
      return END;
    }
    if (c < 128) {
      return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
    return WIDE + Arrays.binarySearch(wide, fold(c));
  }

  /** The class of a text's character beyond ASCII (an anchor character in a text is text). */
  private int wideClassOf(char c) {
    if (wide.length == 0) {
      return 0;
    }
    int k = Arrays.binarySearch(wide, fold(c));
    return k < 0 ? 0 : wideClass[k];
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
      int k = c < 128 ? cls[c] : wideClassOf(c);
      int v = t16 != null ? t16[state * width + k] : table32[state * width + k];
      state = v >>> 1;
      if ((v & 1) == 0) {
        continue;
      }
      for (int w : output[state]) {
        if (seen[w] != pass) {
          seen[w] = pass;
          hits[n++] = w;
        }
      }
    }
    if (cls[END] != 0) {
      int v = t16 != null ? t16[state * width + cls[END]] : table32[state * width + cls[END]];
      if ((v & 1) != 0) {
        for (int w : output[v >>> 1]) {
          if (seen[w] != pass) {
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
      char c = text.charAt(i);
      int k = c < 128 ? classOf[c] : wideClassOf(c);
      state = (table16 != null ? table16[state * classes + k] : table32[state * classes + k]) >>> 1;
      if (output[state].length > 0) {
        return output[state][0];
      }
    }
    return -1;
  }

  /**
   * Upper, then lower case: one character for each case-insensitive equivalent, as far as the
   * JDK's single-character mappings go.
   */
  private static char fold(char c) {
    if (c < 128) {
      return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
    return Character.toLowerCase(Character.toUpperCase(c));
  }
}
