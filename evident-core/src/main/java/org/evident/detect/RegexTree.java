package org.evident.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * An RE2 pattern read into a tree of character sets, sequences, alternatives, repetitions, text
 * anchors and word boundaries, for {@link DfaScreen}. It reads the syntax the rule files use and
 * widens what an automaton cannot hold: multi-line anchors match the empty string, Unicode
 * classes outside a bracket match any character, repetitions beyond {@link #MAX_COUNT} become
 * unbounded; a widened tree is not {@link Parsed#exact}. What it cannot widen safely (a Unicode
 * class inside a bracket, a back reference) it refuses.
 */
final class RegexTree {
  /** Counted repetitions above this are read as unbounded (a superset, and a small automaton). */
  static final int MAX_COUNT = 16;

  sealed interface Node permits Chars, Concat, Alt, Repeat, Anchor, Boundary {}

  /**
   * The tree, and whether it matches exactly what the pattern matches (nothing was widened; case
   * is folded as RE2/J folds it).
   */
  record Parsed(Node root, boolean exact) {}

  /** The start ({@code ^}, {@code \A}) or the end ({@code $}, {@code \z}) of the text. */
  record Anchor(boolean start) implements Node {}

  /**
   * {@code \b} (word) or {@code \B}: whether the characters either side differ in being ASCII
   * word characters, as RE2 reads them; the text's ends count as non-word.
   */
  record Boundary(boolean word) implements Node {}

  /** Any one character of the ranges (pairs of inclusive bounds, sorted, disjoint). */
  record Chars(int[] ranges) implements Node {}

  record Concat(List<Node> parts) implements Node {}

  record Alt(List<Node> branches) implements Node {}

  /** {@code max} is -1 for unbounded. */
  record Repeat(Node node, int min, int max) implements Node {}

  private static final Node EMPTY = new Concat(List.of());
  private static final int[] ANY = {0, 0xFFFF};
  private static final int[] DIGIT = {'0', '9'};
  private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
  /** RE2's \s: tab, newline, form feed, carriage return, space (not the vertical tab). */
  private static final int[] SPACE = {'\t', '\n', '\f', '\r', ' ', ' '};

  private final String re;
  /** Whether case-insensitive parts get their letters' other cases (the automaton needs
   * them; the literal prefilter ignores case anyway and wants the letters as written). */
  private final boolean foldCase;
  private int pos;
  private boolean caseless;
  private boolean multiline;
  private boolean exact = true;
  /**
   * Sets folded so far in this pattern, keyed by their ranges (an IntBuffer compares contents):
   * CRS's large patterns name the same few classes and letters hundreds of times. The arrays
   * are shared between nodes and never written.
   */
  private final java.util.Map<java.nio.IntBuffer, int[]> folded = new java.util.HashMap<>();

  private RegexTree(String re, boolean foldCase) {
    this.re = re;
    this.foldCase = foldCase;
  }

  static Parsed parse(String regex) {
    return parse(regex, true);
  }

  static Parsed parse(String regex, boolean foldCase) {
    RegexTree t = new RegexTree(regex, foldCase);
    Node n = t.alternation();
    if (t.pos != regex.length()) {
      throw new IllegalArgumentException("unbalanced parenthesis");
    }
    return new Parsed(n, t.exact);
  }

  /** The empty string in place of something narrower: the tree is no longer exact. */
  private Node widened() {
    exact = false;
    return EMPTY;
  }

  private Node alternation() {
    List<Node> branches = new ArrayList<>();
    branches.add(concatenation());
    while (pos < re.length() && re.charAt(pos) == '|') {
      pos++;
      branches.add(concatenation());
    }
    return branches.size() == 1 ? branches.get(0) : new Alt(branches);
  }

  private Node concatenation() {
    List<Node> parts = new ArrayList<>();
    while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
      Node atom = atom();
      parts.add(quantified(atom));
    }
    return parts.size() == 1 ? parts.get(0) : new Concat(parts);
  }

  private Node quantified(Node atom) {
    while (pos < re.length()) {
      char c = re.charAt(pos);
      int min;
      int max;
      if (c == '*' || c == '+' || c == '?') {
        pos++;
        min = c == '+' ? 1 : 0;
        max = c == '?' ? 1 : -1;
      } else if (c == '{' && repeatAhead()) {
        int close = re.indexOf('}', pos);
        String spec = re.substring(pos + 1, close);
        pos = close + 1;
        int comma = spec.indexOf(',');
        min = Integer.parseInt(comma < 0 ? spec : spec.substring(0, comma));
        max = comma < 0 ? min : comma == spec.length() - 1 ? -1
            : Integer.parseInt(spec.substring(comma + 1));
      } else {
        return atom;
      }
      if (pos < re.length() && re.charAt(pos) == '?') {
        pos++; // lazy: the same language
      }
      if (max > MAX_COUNT || min > MAX_COUNT) {
        exact = false;
      }
      if (max > MAX_COUNT) {
        max = -1;
      }
      min = Math.min(min, MAX_COUNT);
      atom = new Repeat(atom, min, max);
    }
    return atom;
  }

  private boolean repeatAhead() {
    int close = re.indexOf('}', pos);
    return close > pos && re.substring(pos + 1, close).matches("\\d{1,4}(,\\d{0,4})?");
  }

  private Node atom() {
    char c = re.charAt(pos);
    switch (c) {
      case '(' -> {
        return group();
      }
      case '[' -> {
        return new Chars(fold(charClass()));
      }
      case '.' -> {
        pos++;
        return new Chars(ANY);
      }
      case '^', '$' -> {
        pos++;
        return multiline ? widened() : new Anchor(c == '^');
      }
      case '\\' -> {
        return escape();
      }
      default -> {
        pos++;
        if (Character.isSurrogate(c)) {
          throw new IllegalArgumentException("supplementary character in pattern");
        }
        return new Chars(fold(new int[] {c, c}));
      }
    }
  }

  private Node group() {
    pos++;
    boolean outer = caseless;
    if (re.startsWith("?", pos)) {
      pos++;
      if (re.startsWith("<=", pos) || re.startsWith("<!", pos)) {
        throw new IllegalArgumentException("lookbehind");
      } else if (re.startsWith("P<", pos) || re.startsWith("<", pos)) {
        int end = re.indexOf('>', pos);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated group name");
        }
        pos = end + 1;
      } else {
        boolean on = true;
        boolean scoped = false;
        while (pos < re.length()) {
          char f = re.charAt(pos++);
          if (f == ')') {
            return EMPTY; // (?i): applies to the rest of the enclosing group
          } else if (f == ':') {
            scoped = true;
            break;
          } else if (f == '-') {
            on = false;
          } else if (f == 'i') {
            caseless = on;
          } else if (f == 'm') {
            multiline |= on; // never cleared: anchors after it stay widened (safe)
          } else if (f != 's' && f != 'U') {
            throw new IllegalArgumentException("group flag " + f);
          }
        }
        if (!scoped) {
          throw new IllegalArgumentException("unterminated group");
        }
      }
    }
    Node inner = alternation();
    if (pos >= re.length() || re.charAt(pos) != ')') {
      throw new IllegalArgumentException("unbalanced parenthesis");
    }
    pos++;
    caseless = outer;
    return inner;
  }

  private Node escape() {
    pos++;
    char e = re.charAt(pos++);
    switch (e) {
      case 'A', 'z' -> {
        return new Anchor(e == 'A');
      }
      case 'b', 'B' -> {
        return new Boundary(e == 'b');
      }
      case 'd', 'D', 's', 'S', 'w', 'W' -> {
        return new Chars(perlClass(e));
      }
      case 'p', 'P', 'C' -> {
        if (e != 'C' && pos < re.length() && re.charAt(pos) == '{') {
          pos = re.indexOf('}', pos) + 1;
        } else if (e != 'C') {
          pos++;
        }
        exact = false;
        return new Chars(ANY); // wider than the Unicode class: still a superset
      }
      case 'Q' -> {
        int end = re.indexOf("\\E", pos);
        String q = end < 0 ? re.substring(pos) : re.substring(pos, end);
        pos = end < 0 ? re.length() : end + 2;
        List<Node> parts = new ArrayList<>();
        for (char q1 : q.toCharArray()) {
          parts.add(new Chars(fold(new int[] {q1, q1})));
        }
        return new Concat(parts);
      }
      default -> {
        int ch = escapedChar(e);
        return new Chars(fold(new int[] {ch, ch}));
      }
    }
  }

  /** The character an escape outside a Perl class stands for. */
  private int escapedChar(char e) {
    switch (e) {
      case 'x' -> {
        int v;
        if (re.charAt(pos) == '{') {
          int close = re.indexOf('}', pos);
          v = Integer.parseInt(re.substring(pos + 1, close), 16);
          pos = close + 1;
        } else {
          v = Integer.parseInt(re.substring(pos, pos + 2), 16);
          pos += 2;
        }
        if (v > 0xFFFF || (v >= 0xD800 && v <= 0xDFFF)) {
          throw new IllegalArgumentException("supplementary character in pattern");
        }
        return v;
      }
      case 'n' -> {
        return '\n';
      }
      case 'r' -> {
        return '\r';
      }
      case 't' -> {
        return '\t';
      }
      case 'f' -> {
        return '\f';
      }
      case 'v' -> {
        return 0x0b;
      }
      case 'a' -> {
        return 0x07;
      }
      default -> {
        if (e >= '1' && e <= '7' && (pos >= re.length() || re.charAt(pos) < '0'
            || re.charAt(pos) > '7')) {
          throw new IllegalArgumentException("back reference"); // as RE2 refuses it
        }
        if (e >= '0' && e <= '7') {
          int v = e - '0';
          for (int k = 0; k < 2 && pos < re.length() && re.charAt(pos) >= '0'
              && re.charAt(pos) <= '7'; k++) {
            v = v * 8 + (re.charAt(pos++) - '0');
          }
          return v;
        }
        if (Character.isLetterOrDigit(e)) {
          throw new IllegalArgumentException("escape \\" + e);
        }
        return e;
      }
    }
  }

  /**
   * {@code \d}, {@code \s}, {@code \w} or their negations, with other cases where the pattern
   * ignores case. RE2 folds a class before it negates it: {@code (?i)\W} matches neither {@code k}
   * nor the Kelvin sign, which negating first and folding after would both let in.
   */
  private int[] perlClass(char e) {
    int[] set = fold(switch (Character.toLowerCase(e)) {
      case 'd' -> DIGIT;
      case 's' -> SPACE;
      default -> WORD;
    });
    return Character.isUpperCase(e) ? complement(set) : set;
  }

  private int[] charClass() {
    pos++;
    boolean negated = re.charAt(pos) == '^';
    if (negated) {
      pos++;
    }
    List<int[]> parts = new ArrayList<>();
    boolean first = true;
    while (re.charAt(pos) != ']' || first) {
      first = false;
      if (re.startsWith("[:", pos)) {
        int close = re.indexOf(":]", pos);
        parts.add(posix(re.substring(pos + 2, close)));
        pos = close + 2;
        continue;
      }
      int lo;
      char c = re.charAt(pos);
      if (c == '\\') {
        pos++;
        char e = re.charAt(pos++);
        if ("dDsSwW".indexOf(e) >= 0) {
          parts.add(perlClass(e));
          continue;
        }
        if (e == 'p' || e == 'P') {
          throw new IllegalArgumentException("Unicode class in a bracket");
        }
        lo = escapedChar(e);
      } else {
        pos++;
        if (Character.isSurrogate(c)) {
          throw new IllegalArgumentException("supplementary character in pattern");
        }
        lo = c;
      }
      int hi = lo;
      if (re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
        pos++;
        char h = re.charAt(pos);
        if (h == '\\') {
          pos++;
          hi = escapedChar(re.charAt(pos++));
        } else {
          pos++;
          hi = h;
        }
        if (hi < lo) {
          throw new IllegalArgumentException("bad range");
        }
      }
      parts.add(new int[] {lo, hi});
    }
    pos++;
    int[] set = normalise(parts);
    if (caseless) {
      set = fold(set); // RE2 folds case before it negates
    }
    return negated ? complement(set) : set;
  }

  /** A POSIX class, folded before it is negated (see {@link #perlClass}). */
  private int[] posix(String name) {
    boolean negated = name.startsWith("^");
    String n = negated ? name.substring(1) : name;
    int[] set = switch (n) {
      case "alpha" -> new int[] {'A', 'Z', 'a', 'z'};
      case "digit" -> DIGIT;
      case "alnum" -> new int[] {'0', '9', 'A', 'Z', 'a', 'z'};
      case "space" -> new int[] {'\t', '\r', ' ', ' '};
      case "upper" -> new int[] {'A', 'Z'};
      case "lower" -> new int[] {'a', 'z'};
      case "punct" -> new int[] {'!', '/', ':', '@', '[', '`', '{', '~'};
      case "xdigit" -> new int[] {'0', '9', 'A', 'F', 'a', 'f'};
      case "word" -> WORD;
      case "blank" -> new int[] {'\t', '\t', ' ', ' '};
      case "cntrl" -> new int[] {0, 0x1f, 0x7f, 0x7f};
      case "print" -> new int[] {' ', '~'};
      case "graph" -> new int[] {'!', '~'};
      case "ascii" -> new int[] {0, 0x7f};
      default -> throw new IllegalArgumentException("class [:" + name + ":]");
    };
    set = fold(set);
    return negated ? complement(set) : set;
  }

  /** Sorted, merged ranges from any list of ranges. */
  static int[] normalise(List<int[]> parts) {
    List<int[]> ranges = new ArrayList<>();
    for (int[] p : parts) {
      for (int i = 0; i < p.length; i += 2) {
        ranges.add(new int[] {p[i], p[i + 1]});
      }
    }
    ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<int[]> merged = new ArrayList<>();
    for (int[] r : ranges) {
      int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r[0] <= last[1] + 1) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.add(new int[] {r[0], r[1]});
      }
    }
    int[] out = new int[merged.size() * 2];
    for (int i = 0; i < merged.size(); i++) {
      out[2 * i] = merged.get(i)[0];
      out[2 * i + 1] = merged.get(i)[1];
    }
    return out;
  }

  static int[] complement(int[] set) {
    List<int[]> out = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < set.length; i += 2) {
      if (set[i] > next) {
        out.add(new int[] {next, set[i] - 1});
      }
      next = set[i + 1] + 1;
    }
    if (next <= 0xFFFF) {
      out.add(new int[] {next, 0xFFFF});
    }
    return normalise(out);
  }

  /**
   * The set with every character's other cases added, when the pattern ignores case. Walks only
   * the characters that have other cases (a few thousand in the plane), range by range, and adds
   * only the cases the set lacks: a negated class holds nearly all of them already, and adding
   * each (then sorting them) made CRS's largest pattern take 9 ms to read.
   */
  private int[] fold(int[] set) {
    if (!caseless || !foldCase) {
      return set;
    }
    return folded.computeIfAbsent(java.nio.IntBuffer.wrap(set), k -> withOtherCases(set));
  }

  private static int[] withOtherCases(int[] set) {
    int[] foldable = CaseOrbits.foldable();
    List<int[]> parts = null;
    for (int i = 0; i < set.length; i += 2) {
      int f = java.util.Arrays.binarySearch(foldable, set[i]);
      for (f = f >= 0 ? f : -f - 1; f < foldable.length && foldable[f] <= set[i + 1]; f++) {
        for (int o : CaseOrbits.inRe2(foldable[f])) {
          if (!CaseOrbits.contains(set, o)) {
            if (parts == null) {
              parts = new ArrayList<>();
              parts.add(set);
            }
            parts.add(new int[] {o, o});
          }
        }
      }
    }
    return parts == null ? set : normalise(parts);
  }
}
