package org.evident.detect;

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
  /**
   * Transitions as unsigned 16-bit states when they fit, else as ints. States are numbered
   * breadth first, those that report no pattern before those that do: a move's target alone
   * says whether to look at {@link #output}, and the shallow states most characters stay in sit
   * together (CRS's argument phrases make 34,000 states, a table bigger than the CPU's caches).
   */
  private final char[] table16;
  private final int[] table32;
  /** The first state that reports a pattern. */
  private final int firstReporting;
  private final int[][] output;
  /** Per symbol, its class; A-Z share their lower-case letter's. */
  private final int[] classOf;
  /**
   * Per character below 256, its class, folded: a text's own ASCII and Latin-1 in one lookup.
   * Decoded bytes (base64Decode's, hexDecode's) are mostly beyond ASCII, and a search per
   * character among the wide ones made such texts several times dearer to scan.
   */
  private final int[] byteClass = new int[256];
  /** The folded characters beyond ASCII that patterns hold, sorted, and their classes. */
  private final char[] wide;
  private final int[] wideClass;
  private final int classes;
  /**
   * A row of the table is {@code 1 << shift} moves wide, the classes rounded up to a power of
   * two: the next row is found with a shift instead of a multiplication, which sits between one
   * character's load and the next on the scan's critical path (a tenth faster on CRS's tables).
   */
  private final int shift;

  /*
   * The constructor is a few small steps rather than one long method: with CRS's thousands of
   * phrases its loops run millions of times at start-up, and the JIT then compiled the whole
   * constructor, with everything inlined into it, in the middle of its loop (on-stack
   * replacement) several times over: 0.7 s of compiler time for code that runs once.
   */
  AhoCorasick(List<String> words) {
    this.patterns = words.toArray(new String[0]);
    this.wide = wideCharacters(patterns);
    int symbols = WIDE + wide.length;
    this.classOf = new int[symbols];
    this.classes = assignClasses(symbols);
    this.shift = 32 - Integer.numberOfLeadingZeros(classes - 1);
    this.wideClass = Arrays.copyOfRange(classOf, WIDE, symbols);
    for (char c = 0; c < 256; c++) {
      byteClass[c] = c < 128 ? classOf[c] : wideClassOf(c);
    }
    Trie trie = new Trie(classes);
    for (int w = 0; w < patterns.length; w++) {
      trie.add(this, patterns[w], w);
    }
    int[][] next = trie.rows.toArray(new int[0][]);
    int[][] reports = trie.link(next);
    int[] order = numbering(trie.breadthFirst, reports);
    this.output = new int[next.length][];
    int reporting = next.length;
    for (int st = 0; st < next.length; st++) {
      output[order[st]] = reports[st];
      if (reports[st].length > 0) {
        reporting = Math.min(reporting, order[st]);
      }
    }
    this.firstReporting = reporting;
    table16 = next.length <= 65_536 ? table16(next, order, classes, shift) : null;
    table32 = table16 == null ? table(next, order, classes, shift) : null;
  }

  /**
   * Each state's number: breadth first, the states that report nothing before those that do
   * (the root, which reports nothing, stays 0).
   */
  private static int[] numbering(int[] breadthFirst, int[][] reports) {
    int[] order = new int[breadthFirst.length];
    int n = 0;
    for (int st : breadthFirst) {
      if (reports[st].length == 0) {
        order[st] = n++;
      }
    }
    for (int st : breadthFirst) {
      if (reports[st].length > 0) {
        order[st] = n++;
      }
    }
    return order;
  }

  /** The folded characters beyond ASCII that the patterns hold, sorted. */
  private static char[] wideCharacters(String[] patterns) {
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
    char[] out = new char[wideChars.size()];
    int at = 0;
    for (char w : wideChars) {
      out[at++] = w;
    }
    return out;
  }

  /**
   * Fills {@link #classOf} and returns the number of classes: every character a pattern uses is
   * a class, upper case shares its lower-case class, all the rest is class 0. The automaton is
   * then built over classes, a few dozen wide instead of 128, which is most of the work for
   * large phrase lists.
   */
  private int assignClasses(int symbols) {
    boolean[] used = new boolean[symbols];
    for (String p : patterns) {
      for (int i = 0; i < p.length(); i++) {
        used[symbol(p.charAt(i))] = true;
      }
    }
    int c = 1;
    for (int sym = 0; sym < symbols; sym++) {
      if (used[sym]) {
        classOf[sym] = c++;
      }
    }
    for (int sym = 'A'; sym <= 'Z'; sym++) {
      classOf[sym] = classOf[sym + 32];
    }
    return c;
  }

  /**
   * The moves, renumbered: each entry is the next state's number, and a number below
   * {@link #firstReporting} says that nothing is reported, so the common case is one load per
   * character and no second lookup.
   */
  private static int[] table(int[][] next, int[] order, int classes, int shift) {
    int[] t = new int[next.length << shift];
    for (int st = 0; st < next.length; st++) {
      int[] row = next[st];
      int base = order[st] << shift;
      for (int k = 0; k < classes; k++) {
        t[base + k] = order[row[k]];
      }
    }
    return t;
  }

  /**
   * The table in 16 bits a move, half the memory, when every state number fits; written
   * directly, not narrowed from {@link #table}'s (with CRS, 37 MB less garbage at every start).
   */
  private static char[] table16(int[][] next, int[] order, int classes, int shift) {
    char[] t = new char[next.length << shift];
    for (int st = 0; st < next.length; st++) {
      int[] row = next[st];
      int base = order[st] << shift;
      for (int k = 0; k < classes; k++) {
        t[base + k] = (char) order[row[k]];
      }
    }
    return t;
  }

  /** The trie of the patterns, with its edges listed, until {@link #link} completes it. */
  private static final class Trie {
    final int width;
    final List<int[]> rows = new ArrayList<>();
    /** Patterns ending at each state, as a linked list through {@link #endsNext}. */
    int[] endsHead = new int[64];
    int[] endsPattern = new int[64];
    int[] endsNext = new int[64];
    int ends;
    /** The states in breadth-first order, once {@link #link} has run. */
    int[] breadthFirst;
    /** The edges in the order they were made: from, class, to. */
    int[] edges = new int[192];
    int edgeCount;

    Trie(int width) {
      this.width = width;
      newState();
    }

    private int newState() {
      int[] r = new int[width];
      Arrays.fill(r, -1);
      rows.add(r);
      int st = rows.size() - 1;
      if (st == endsHead.length) {
        endsHead = Arrays.copyOf(endsHead, 2 * st);
      }
      endsHead[st] = -1;
      return st;
    }

    void add(AhoCorasick ac, String p, int w) {
      int state = 0;
      for (int i = 0; i < p.length(); i++) {
        int k = ac.classOf[ac.symbol(p.charAt(i))];
        int to = rows.get(state)[k];
        if (to < 0) {
          to = newState();
          rows.get(state)[k] = to;
          if (3 * edgeCount + 3 > edges.length) {
            edges = Arrays.copyOf(edges, 2 * edges.length);
          }
          edges[3 * edgeCount] = state;
          edges[3 * edgeCount + 1] = k;
          edges[3 * edgeCount + 2] = to;
          edgeCount++;
        }
        state = to;
      }
      if (ends == endsPattern.length) {
        endsPattern = Arrays.copyOf(endsPattern, 2 * ends);
        endsNext = Arrays.copyOf(endsNext, 2 * ends);
      }
      endsPattern[ends] = w;
      endsNext[ends] = endsHead[state];
      endsHead[state] = ends++;
    }

    /**
     * Completes {@code next} into the automaton's moves (breadth first: a state's row is its
     * failure state's row, copied, with its own edges laid over it) and returns each state's
     * reported patterns, its own and its failure chain's.
     */
    int[][] link(int[][] next) {
      int n = next.length;
      // each state's edges, grouped by the state they leave (a counting sort of the edge list)
      int[] first = new int[n + 1];
      for (int e = 0; e < edgeCount; e++) {
        first[edges[3 * e] + 1]++;
      }
      for (int st = 0; st < n; st++) {
        first[st + 1] += first[st];
      }
      int[] at = Arrays.copyOf(first, n);
      int[] byState = new int[edgeCount];
      for (int e = 0; e < edgeCount; e++) {
        byState[at[edges[3 * e]]++] = e;
      }
      int[] fail = new int[n];
      int[][] output = new int[n][];
      int[] queue = new int[n];
      int head = 0;
      int tail = 0;
      int[] root = next[0];
      for (int k = 0; k < width; k++) {
        if (root[k] < 0) {
          root[k] = 0; // class 0 (no pattern uses it) always lands here
        } else {
          queue[tail++] = root[k];
        }
      }
      output[0] = ended(0, new int[0]);
      while (head < tail) {
        int st = queue[head++];
        output[st] = ended(st, output[fail[st]]);
        int[] from = next[fail[st]];
        int[] row = next[st];
        System.arraycopy(from, 0, row, 0, width);
        for (int i = first[st]; i < first[st + 1]; i++) {
          int e = byState[i];
          int k = edges[3 * e + 1];
          int to = edges[3 * e + 2];
          row[k] = to;
          fail[to] = from[k];
          queue[tail++] = to;
        }
      }
      breadthFirst = new int[n]; // the root, then the queue: every other state once
      System.arraycopy(queue, 0, breadthFirst, 1, tail);
      return output;
    }

    /** The patterns ending at {@code st}, then those its failure state reports. */
    private int[] ended(int st, int[] inherited) {
      int own = 0;
      for (int i = endsHead[st]; i >= 0; i = endsNext[i]) {
        own++;
      }
      if (own == 0) {
        return inherited;
      }
      int[] out = new int[own + inherited.length];
      int j = own;
      for (int i = endsHead[st]; i >= 0; i = endsNext[i]) {
        out[--j] = endsPattern[i]; // the list is newest first: back to the order of adding
      }
      System.arraycopy(inherited, 0, out, own, inherited.length);
      return out;
    }
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

  /** Number of states (for tests). */
  int states() {
    return output.length;
  }

  /**
   * Collects the index of every distinct pattern found into {@code hits} and returns how many.
   * {@code seen} (one slot per pattern) and {@code pass} dedupe: a slot equal to {@code pass}
   * means the pattern was already reported in this pass; callers bump {@code pass} per scan.
   * {@code hits} needs one slot per pattern, so nothing found is ever dropped.
   */
  int scan(String text, int[] hits, int[] seen, int pass) {
    final char[] t16 = table16;
    final int[] cls = byteClass;
    final int shift = this.shift;
    // no pattern is a bare anchor, so the start reports nothing
    final int reporting = firstReporting;
    final int start = classOf[START];
    final int end = classOf[END];
    int state = start == 0 ? 0 : t16 != null ? t16[start] : table32[start];
    int n = 0;
    final int len = text.length();
    for (int i = 0; i < len; i++) {
      char c = text.charAt(i);
      int k = c < 256 ? cls[c] : wideClassOf(c);
      state = t16 != null ? t16[(state << shift) + k] : table32[(state << shift) + k];
      if (state < reporting) {
        continue;
      }
      for (int w : output[state]) {
        if (seen[w] != pass) {
          seen[w] = pass;
          hits[n++] = w;
        }
      }
    }
    if (end != 0) {
      int v = t16 != null ? t16[(state << shift) + end] : table32[(state << shift) + end];
      if (v >= reporting) {
        for (int w : output[v]) {
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
      int k = c < 256 ? byteClass[c] : wideClassOf(c);
      state = table16 != null ? table16[(state << shift) + k] : table32[(state << shift) + k];
      if (state >= firstReporting) {
        return output[state][0];
      }
    }
    return -1;
  }

  /**
   * Whether the two texts read the same to every automaton, character for character: ASCII
   * equal but for case, or beyond ASCII folding to the same character. (A character beyond
   * ASCII never reads as an ASCII one, even where it folds to it: the Kelvin sign is not a k.)
   * A scan of one then finds what a scan of the other would.
   */
  static boolean sameFolded(String a, String b) {
    int n = a.length();
    if (b.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x == y) {
        continue;
      }
      if (x < 128 != y < 128 || fold(x) != fold(y)) {
        return false;
      }
    }
    return true;
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
