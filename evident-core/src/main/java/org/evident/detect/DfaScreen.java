package org.evident.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic automaton that tells, in one table lookup per character, that a text cannot
 * match a regular expression, so that RE2/J (an NFA simulation, tens of times slower per
 * character) runs only on texts that may match. Most texts that pass a rule's literal prefilter
 * do not match its pattern (the literal "w" of a command rule is in every browser's agent), and
 * those are decided here.
 *
 * <p>The automaton accepts a superset of what the pattern matches: constructs it cannot hold
 * exactly (long counted repetitions, Unicode classes outside a bracket) are widened, never
 * narrowed, so {@link #NO} is always right and {@link #MAYBE} goes to RE2/J.
 * Where nothing was widened, a match is {@link #YES}: a negated rule (CRS 920100's "not a
 * well-formed request line") is then decided without RE2/J too. That holds in every script, as
 * case is folded exactly as RE2/J folds it ({@link CaseOrbits#inRe2}). Texts with surrogate
 * pairs always get {@link #MAYBE} (RE2/J reads code points, this reads chars).
 *
 * <p>Word boundaries ({@code \b}, {@code \B}) are held exactly, as RE2 does: a state also
 * knows whether the character before it was a word character, and a boundary's move is taken
 * only once the next character shows whether the boundary is there.
 *
 * <p>States are built lazily, as texts reach them (as RE2 does): building every state of a
 * large case-insensitive alternation up front takes seconds, and most are never visited. At most
 * {@link #MAX_STATES} are built; past that, an unbuilt move answers "maybe", so a hostile text
 * can cost RE2/J's time but never memory. Thread-safe: moves are read without locking, and a
 * move not yet built is built under the screen's lock.
 */
final class DfaScreen {
  /** States built at most per pattern: about 1 KiB each for the CRS patterns. */
  static final int MAX_STATES = 4000;
  /** Answers of {@link #test}. */
  static final int NO = 0;
  static final int MAYBE = 1;
  static final int YES = 2;
  /** Table entries: unbuilt, a match, too many states, or the next state's number plus one. */
  private static final int UNBUILT = 0;
  private static final int MATCH = -1;
  private static final int FULL = -2;
  /** The move leads where no match can start any more: the text is decided, no. */
  private static final int DEAD = -3;

  private final Nfa nfa;
  private final int accept;
  private final int classes;
  private final int[] asciiClass;
  /** First character of each interval of equally treated characters, and its class. */
  private final char[] starts;
  private final int[] startClass;
  /** A character of each class, to compute moves with. */
  private final char[] representative;
  /** The states at the text's start, and those a match may start from later. */
  private final int[] startSet;
  private final int[] searchSet;
  private final boolean startAccepts;
  private final boolean emptyTextMatches;
  /**
   * Whether a match can only start at the text's start ({@code ^...}): then a state holding
   * nothing but the search's start can never match, and the rest of the text is not read.
   */
  private final boolean anchored;
  private final boolean exact;
  /**
   * Per state, its moves by class and, in the last slot, 1 when it matches at the text's end.
   * The array doubles when full; a state's slot is written once, before any move leads to it.
   */
  private volatile int[][] rows;
  /**
   * States whose rows are complete: written after a row and before any move leads to it, so a
   * reader that has read it sees every row below it whole (both their moves and end flags).
   */
  private volatile int built = 1;
  private final List<int[]> sets = new ArrayList<>();
  /** Per state: whether the character before it was a word character (with boundaries only). */
  private final java.util.BitSet wordBefore = new java.util.BitSet();
  private final Map<Key, Integer> ids = new HashMap<>();

  private DfaScreen(Nfa nfa, int begin, int accept, boolean exact) {
    this.nfa = nfa;
    this.accept = accept;
    this.exact = exact;
    // character classes: characters that every move treats alike share one; a class's
    // signature is the sum of random tags of the moves that take it (equal sums, equal moves)
    java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
    cuts.add(0);
    List<int[]> classMoves = new ArrayList<>(nfa.moves);
    if (nfa.hasBoundaries()) { // a class must not mix word and other characters
      for (int i = 0; i < WORD.length; i += 2) {
        classMoves.add(new int[] {WORD[i], WORD[i + 1]});
      }
    }
    for (int[] m : classMoves) {
      cuts.add(m[0]);
      if (m[1] < 0xFFFF) {
        cuts.add(m[1] + 1);
      }
    }
    char[] points = new char[cuts.size()];
    int p = 0;
    for (int c : cuts) {
      points[p++] = (char) c;
    }
    long[] signature = new long[points.length + 1];
    java.util.SplittableRandom tags = new java.util.SplittableRandom(20261127L);
    for (int[] m : classMoves) {
      long tag = tags.nextLong();
      signature[interval(points, (char) m[0])] += tag;
      signature[interval(points, (char) m[1]) + 1] -= tag;
    }
    int[] intervalClass = new int[points.length];
    StringBuilder reps = new StringBuilder();
    Map<Long, Integer> classIds = new HashMap<>();
    long sum = 0;
    for (int k = 0; k < points.length; k++) {
      sum += signature[k];
      Integer id = classIds.get(sum);
      if (id == null) {
        id = reps.length();
        classIds.put(sum, id);
        reps.append(points[k]);
      }
      intervalClass[k] = id;
    }
    this.classes = reps.length();
    this.representative = reps.toString().toCharArray();
    this.starts = points;
    this.startClass = intervalClass;
    this.asciiClass = new int[128];
    for (int c = 0; c < 128; c++) {
      asciiClass[c] = intervalClass[interval(points, (char) c)];
    }
    this.startSet = nfa.closure(new int[] {begin}, 1, true, false, NO_BOUNDARIES);
    this.searchSet = nfa.closure(new int[] {begin}, 1, false, false, NO_BOUNDARIES);
    this.startAccepts = contains(startSet, accept);
    this.emptyTextMatches = contains(nfa.closure(new int[] {begin}, 1, true, true,
        boundaries(false, false)), accept);
    sets.add(startSet);
    ids.put(new Key(startSet, false, nfa.hasBoundaries()), 0);
    this.rows = new int[][] {row(startSet, false)};
    this.anchored = !nfa.hasBoundaries() && !contains(searchSet, accept)
        && row(searchSet, false)[classes] == 0 && !nfa.consumes(searchSet);
  }

  /** ASCII word characters, as RE2's {@code \b} reads them. */
  private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
  /** Boundary moves are not taken (the next character is not known yet). */
  private static final int NO_BOUNDARIES = 0;
  private static final int WORD_MOVES = 1;
  private static final int NON_WORD_MOVES = 2;

  private static boolean isWord(char c) {
    return c < 128 && (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '_'
        || c >= 'a' && c <= 'z');
  }

  /** Which boundary moves hold between a character of one kind and one of another. */
  private static int boundaries(boolean before, boolean after) {
    return before != after ? WORD_MOVES : NON_WORD_MOVES;
  }

  /**
   * A new state's row: moves unbuilt, and whether it matches at the text's end (which counts as
   * non-word). Ends are only read after a character (the empty text has its own answer), so
   * the text's start moves do not apply here.
   */
  private int[] row(int[] set, boolean word) {
    int[] r = new int[classes + 1];
    r[classes] = contains(nfa.closure(set, set.length, false, true, boundaries(word, false)),
        accept) ? 1 : 0;
    return r;
  }

  /** The screen for an RE2 pattern, or null when the pattern cannot be read into one. */
  static DfaScreen of(String regex) {
    try {
      Nfa nfa = new Nfa();
      RegexTree.Parsed tree = RegexTree.parse(regex);
      int accept = nfa.state();
      int begin = nfa.compile(tree.root(), accept);
      nfa.index();
      return new DfaScreen(nfa, begin, accept, tree.exact());
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  /** False only when the text holds no match of the pattern. */
  boolean mayMatch(String text) {
    return test(text) != NO;
  }

  /**
   * {@link #NO} when the text holds no match, {@link #YES} when it surely holds one, else
   * {@link #MAYBE}.
   */
  int test(String text) {
    if (text.isEmpty()) {
      return emptyTextMatches ? sure() : NO;
    }
    if (startAccepts) {
      return sure();
    }
    int known = built; // read before rows: every state below it is whole in them
    int[][] r = rows;
    int state = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      int k;
      if (c < 128) {
        k = asciiClass[c];
      } else if (Character.isSurrogate(c)) {
        return MAYBE;
      } else {
        k = classOf(c);
      }
      if (state >= known) { // a state built by another thread after this text began
        known = built;
        r = rows;
        if (state >= known) {
          known = builtUnderLock();
          r = rows;
        }
      }
      int next = r[state][k];
      if (next == UNBUILT) {
        next = build(state, k);
        known = built;
        r = rows;
      }
      if (next < 0) {
        return next == MATCH ? sure() : next == DEAD ? NO : MAYBE;
      }
      state = next - 1;
    }
    if (state >= known && state >= built) {
      builtUnderLock();
    }
    return rows[state][classes] == 1 ? sure() : NO;
  }

  private int sure() {
    return exact ? YES : MAYBE;
  }

  /** Builds the move from {@code state} on class {@code k}; returns its table entry. */
  private synchronized int build(int state, int k) {
    int[][] r = rows;
    if (r[state][k] != UNBUILT) {
      return r[state][k];
    }
    char c = representative[k];
    int[] set = sets.get(state);
    boolean word = nfa.hasBoundaries() && isWord(c);
    if (nfa.hasBoundaries()) { // the boundaries before c, now that c is known
      set = nfa.closure(set, set.length, state == 0, false,
          boundaries(wordBefore.get(state), isWord(c)));
    }
    int[] next = contains(set, accept) ? null : nfa.step(set, c, searchSet);
    int entry;
    if (next == null || contains(next, accept)) {
      entry = MATCH;
    } else if (anchored && Arrays.equals(next, searchSet)) {
      entry = DEAD;
    } else {
      Key key = new Key(next, word, false);
      Integer id = ids.get(key);
      if (id == null && sets.size() >= MAX_STATES) {
        entry = FULL; // this move stays unbuilt for good, and RE2/J decides
      } else {
        if (id == null) {
          id = sets.size();
          sets.add(next);
          wordBefore.set(id, word);
          ids.put(key, id);
          if (id == r.length) {
            r = Arrays.copyOf(r, Math.min(2 * id, MAX_STATES)); // doubling: no copy per state
          }
          r[id] = row(next, word);
          rows = r;
          built = id + 1; // the new state's row is published before any move leads to it
        }
        entry = id + 1;
      }
    }
    r[state][k] = entry;
    return entry;
  }

  /**
   * {@link #built}, read under the lock that {@link #build} writes under: a reader that found a
   * move to a state it does not know yet is then sure to see that state's row.
   */
  private synchronized int builtUnderLock() {
    return built;
  }

  /** States built so far (for tests). */
  synchronized int states() {
    return sets.size();
  }

  private int classOf(char c) {
    return startClass[interval(starts, c)];
  }

  private static int interval(char[] points, char c) {
    int k = Arrays.binarySearch(points, c);
    return k >= 0 ? k : -k - 2;
  }

  private static boolean contains(int[] sorted, int v) {
    return Arrays.binarySearch(sorted, v) >= 0;
  }

  /**
   * A state's key: its set of NFA states, whether a word character came before it, and whether
   * it is the text's start (where start moves still apply; kept apart only with boundaries,
   * which may lead to them).
   */
  private record Key(int[] a, boolean word, boolean start) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && word == k.word && start == k.start && Arrays.equals(a, k.a);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(a) * 4 + (word ? 2 : 0) + (start ? 1 : 0);
    }
  }

  /** A Thompson automaton: per state, empty moves and character-range moves. */
  static final class Nfa {
    /** Bounds the work a huge pattern can cause while building. */
    private static final int MAX_NFA_STATES = 20_000;
    private final List<int[]> emptyMoves = new ArrayList<>();
    /** Empty moves taken only at the text's start, and only at its end. */
    private final List<int[]> startMoves = new ArrayList<>();
    private final List<int[]> endMoves = new ArrayList<>();
    /** Empty moves taken only at a word boundary ({@code \b}), and only away from one. */
    private final List<int[]> wordMoves = new ArrayList<>();
    private final List<int[]> nonWordMoves = new ArrayList<>();
    /** Every move as {from, lo, hi, to}; {@link #out} indexes them by state. */
    final List<int[]> moves = new ArrayList<>();
    private int[][] empty;
    private int[][] atStart;
    private int[][] atEnd;
    private int[][] atWord;
    private int[][] atNonWord;
    private int[][] out;
    private int[] mark;
    private int generation;
    private int states;

    int state() {
      if (states >= MAX_NFA_STATES) {
        throw new IllegalArgumentException("pattern too large to screen");
      }
      return states++;
    }

    /** Compiles {@code n} so that it continues to {@code next}; returns its entry state. */
    int compile(RegexTree.Node n, int next) {
      if (n instanceof RegexTree.Chars c) {
        int s = state();
        for (int i = 0; i < c.ranges().length; i += 2) {
          moves.add(new int[] {c.ranges()[i], c.ranges()[i + 1], next, s});
        }
        return s;
      }
      if (n instanceof RegexTree.Concat c) {
        int at = next;
        for (int i = c.parts().size() - 1; i >= 0; i--) {
          at = compile(c.parts().get(i), at);
        }
        return at;
      }
      if (n instanceof RegexTree.Anchor a) {
        int s = state();
        (a.start() ? startMoves : endMoves).add(new int[] {s, next});
        return s;
      }
      if (n instanceof RegexTree.Boundary b) {
        int s = state();
        (b.word() ? wordMoves : nonWordMoves).add(new int[] {s, next});
        return s;
      }
      if (n instanceof RegexTree.Alt a) {
        int s = state();
        for (RegexTree.Node b : a.branches()) {
          emptyMoves.add(new int[] {s, compile(b, next)});
        }
        return s;
      }
      RegexTree.Repeat r = (RegexTree.Repeat) n;
      // x{min,max}: min copies, then max-min optional ones, or a loop when unbounded
      int at = next;
      if (r.max() < 0) {
        int loop = state();
        emptyMoves.add(new int[] {loop, compile(r.node(), loop)});
        emptyMoves.add(new int[] {loop, next});
        at = loop;
      } else {
        for (int i = r.min(); i < r.max(); i++) {
          int opt = state();
          emptyMoves.add(new int[] {opt, compile(r.node(), at)});
          emptyMoves.add(new int[] {opt, next});
          at = opt;
        }
      }
      for (int i = 0; i < r.min(); i++) {
        at = compile(r.node(), at);
      }
      return at;
    }

    /** Indexes the moves by state, once the automaton is complete. */
    void index() {
      empty = group(emptyMoves, 0, 1);
      atStart = group(startMoves, 0, 1);
      atEnd = group(endMoves, 0, 1);
      atWord = group(wordMoves, 0, 1);
      atNonWord = group(nonWordMoves, 0, 1);
      out = new int[states][];
      int[] count = new int[states];
      for (int[] m : moves) {
        count[m[3]]++;
      }
      for (int s = 0; s < states; s++) {
        out[s] = new int[count[s] * 3];
        count[s] = 0;
      }
      for (int[] m : moves) {
        int s = m[3];
        out[s][count[s]++] = m[0];
        out[s][count[s]++] = m[1];
        out[s][count[s]++] = m[2];
      }
      mark = new int[states];
    }

    private int[][] group(List<int[]> pairs, int from, int to) {
      int[] count = new int[states];
      for (int[] e : pairs) {
        count[e[from]]++;
      }
      int[][] g = new int[states][];
      for (int s = 0; s < states; s++) {
        g[s] = new int[count[s]];
        count[s] = 0;
      }
      for (int[] e : pairs) {
        g[e[from]][count[e[from]]++] = e[to];
      }
      return g;
    }

    boolean hasBoundaries() {
      return !wordMoves.isEmpty() || !nonWordMoves.isEmpty();
    }

    /**
     * The states reachable from the first {@code n} of {@code from} by empty moves, sorted;
     * moves of the text's start or end only when there, and boundary moves only those that
     * {@code boundaries} says hold here ({@link #WORD_MOVES}, {@link #NON_WORD_MOVES}, or
     * {@link #NO_BOUNDARIES} when the next character is not known yet).
     */
    int[] closure(int[] from, int n, boolean start, boolean end, int boundaries) {
      generation++;
      stack = new int[Math.max(16, n * 2)];
      sp = 0;
      int[] found = new int[Math.max(16, n * 2)];
      int count = 0;
      for (int i = 0; i < n; i++) {
        push(from[i]);
      }
      while (sp > 0) {
        int s = stack[--sp];
        if (count == found.length) {
          found = Arrays.copyOf(found, count * 2);
        }
        found[count++] = s;
        pushAll(empty[s]);
        if (start) {
          pushAll(atStart[s]);
        }
        if (end) {
          pushAll(atEnd[s]);
        }
        if (boundaries == WORD_MOVES) {
          pushAll(atWord[s]);
        } else if (boundaries == NON_WORD_MOVES) {
          pushAll(atNonWord[s]);
        }
      }
      int[] result = Arrays.copyOf(found, count);
      Arrays.sort(result);
      return result;
    }

    /**
     * The walk's stack, shared by closure and step: never two walks at once (a screen is built
     * before it is published, and grows under its lock).
     */
    private int[] stack;
    private int sp;

    private void pushAll(int[] targets) {
      for (int t : targets) {
        push(t);
      }
    }

    /** Pushes {@code t} unless this walk has reached it already. */
    private void push(int t) {
      if (mark[t] != generation) {
        mark[t] = generation;
        if (sp == stack.length) {
          stack = Arrays.copyOf(stack, sp * 2);
        }
        stack[sp++] = t;
      }
    }

    /** Whether any state of the set has a character move. */
    boolean consumes(int[] set) {
      for (int s : set) {
        if (out[s].length > 0) {
          return true;
        }
      }
      return false;
    }

    /** The closed set after reading {@code c} from {@code set}, with the search's start added. */
    int[] step(int[] set, char c, int[] searchSet) {
      // the search's start is already closed and in every result: mark it as reached, so the
      // walk below visits only what the character's moves add (CRS's start sets are hundreds)
      generation++;
      for (int s : searchSet) {
        mark[s] = generation;
      }
      stack = new int[16];
      sp = 0;
      for (int s : set) {
        int[] m = out[s];
        for (int i = 0; i < m.length; i += 3) {
          if (m[i] <= c && c <= m[i + 1]) {
            push(m[i + 2]);
          }
        }
      }
      int[] added = new int[Math.max(16, sp)];
      int count = 0;
      while (sp > 0) {
        int s = stack[--sp];
        if (count == added.length) {
          added = Arrays.copyOf(added, count * 2);
        }
        added[count++] = s;
        pushAll(empty[s]);
      }
      Arrays.sort(added, 0, count);
      int[] merged = new int[searchSet.length + count];
      int i = 0;
      int j = 0;
      int k = 0;
      while (i < searchSet.length || j < count) {
        merged[k++] = j >= count || (i < searchSet.length && searchSet[i] < added[j])
            ? searchSet[i++] : added[j++];
      }
      return merged;
    }
  }
}
