package org.evident.detect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Literals of which a regular expression's every match must contain at least one, read off the
 * pattern's tree ({@link RegexTree}, letters as written: the prefilter ignores case): the
 * prefilter that keeps benign text away from the regex engine. When in doubt it answers
 * "unknown" (empty), which only costs speed: the rule then always runs.
 *
 * <p>Each part of the pattern is summarised by the finite set of strings it can match exactly
 * (when small), a set of literals one of which any of its matches contains, and the strings its
 * matches start and end with. Concatenation keeps the best set it can build: a child's, exact
 * neighbours joined into longer strings, or one part's ends joined to the next part's starts
 * (branch by branch when a part is an alternation); alternation unites its branches' sets (an
 * unknown branch makes the whole unknown); optional parts contribute nothing required.
 *
 * <p>Anchors are part of the literals: {@code ^} is {@link #TEXT_START} and {@code $} is
 * {@link #TEXT_END}, characters the prefilter reads before and after each text, so that
 * {@code (?:ls|w)$} requires "w" at the end of the text and not any "w" at all.
 *
 * <p>Folded literals serve patterns written against evasion, such as CRS's command rules, which
 * allow quotes, backslashes and {@code $VAR} between the letters of every command word
 * ({@code c["'\\]*a["'\\]*t}): read plainly they require single letters, which every value
 * holds. Read as if the {@link #FOLDED_CHARS} were removed from the text and a {@code $} could
 * not occur, they require whole words: such a literal must occur in the value with those
 * characters removed, unless the value holds a {@code $} (the detector then runs the rule).
 */
final class RegexLiterals {
  private static final int MAX_EXACT = 32;
  private static final int MAX_CLASS = 6;

  /** Stands for the start of the text in a literal (the prefilter reads it before each text). */
  static final char TEXT_START = '\uFFFE';
  /** Stands for the end of the text in a literal (the prefilter reads it after each text). */
  static final char TEXT_END = '\uFFFF';
  /** Leads a literal that must occur in the folded text (see the class comment). */
  static final char FOLDED = '\uFFFD';
  /** The characters folding removes: the evasion characters shells and cmd.exe ignore. */
  static final String FOLDED_CHARS = "\"')[\\^";
  /** {@link #FOLDED_CHARS} as bits: characters below 64, and 64-127 shifted down by 64. */
  static final long FOLDED_LO;
  static final long FOLDED_HI;

  static {
    long lo = 0;
    long hi = 0;
    for (char c : FOLDED_CHARS.toCharArray()) {
      if (c < 64) {
        lo |= 1L << c;
      } else {
        hi |= 1L << (c - 64);
      }
    }
    FOLDED_LO = lo;
    FOLDED_HI = hi;
  }

  /**
   * What a part of the pattern guarantees; null fields mean unknown. {@code prefix} and
   * {@code suffix}: strings one of which every match starts (ends) with, so that a neighbour's
   * literals can be joined to them ({@code cat(?:\s|;)} and {@code (?:\w+)?-}); {@code never}:
   * the part cannot match a folded text (it needs a {@code $}); {@code branches}: an
   * alternation's branches, so that a neighbour can be joined to each branch on its own
   * ({@code (?:w|mysql\S*)$} requires "w" at the end, or "mysql").
   */
  private record Info(Set<String> exact, Set<String> required, Set<String> prefix,
      Set<String> suffix, boolean never, List<Info> branches) {
    static final Info ANY = new Info(null, null);
    static final Info EMPTY = new Info(Set.of(""), null);
    static final Info NEVER = new Info(null, null, null, null, true, null);

    Info(Set<String> exact, Set<String> required) {
      this(exact, required, exact, exact, false, null);
    }

    Info(Set<String> exact, Set<String> required, Set<String> prefix, Set<String> suffix) {
      this(exact, required, prefix, suffix, false, null);
    }
  }

  /** Whether the folded literals are being read (see the class comment). */
  private final boolean folded;

  private RegexLiterals(boolean folded) {
    this.folded = folded;
  }

  /** Lower-case literals one of which every match holds, or empty when none are known. */
  static List<String> required(String regex) {
    RegexTree.Node tree = tree(regex);
    return tree == null ? List.of() : literals(tree, false);
  }

  /**
   * Lower-case literals one of which the folded text of every match holds, when the text holds
   * no {@code $} (see the class comment); empty when none are known.
   */
  static List<String> requiredFolded(String regex) {
    RegexTree.Node tree = tree(regex);
    return tree == null ? List.of() : literals(tree, true);
  }

  /**
   * The literals a prefilter should use for this pattern: the folded ones, each led by
   * {@link #FOLDED}, when they are more selective than the plain ones.
   */
  static List<String> prefilter(String regex) {
    RegexTree.Node tree = tree(regex);
    if (tree == null) {
      return List.of();
    }
    List<String> plain = literals(tree, false);
    List<String> folded = literals(tree, true);
    if (folded.isEmpty() || (!plain.isEmpty() && minLen(folded) <= minLen(plain))) {
      return plain; // folding costs a second scan: only worth it for longer literals
    }
    List<String> out = new ArrayList<>();
    folded.forEach(f -> out.add(FOLDED + f));
    return out;
  }

  /**
   * The text without {@link #FOLDED_CHARS}, as folded literals are looked for in it; the same
   * instance when it has none.
   */
  static String fold(String text) {
    int n = text.length();
    int i = 0;
    while (i < n && !folded(text.charAt(i))) {
      i++;
    }
    if (i == n) {
      return text;
    }
    // every user agent holds ')': this runs on most requests, so a bit test per character
    // rather than a search of FOLDED_CHARS, and one array rather than appends
    char[] out = new char[n - 1];
    text.getChars(0, i, out, 0);
    int k = i;
    for (i++; i < n; i++) {
      char c = text.charAt(i);
      if (!folded(c)) {
        out[k++] = c;
      }
    }
    return new String(out, 0, k);
  }

  private static boolean folded(char c) {
    return c < 64 ? (FOLDED_LO >>> c & 1) != 0 : c < 128 && (FOLDED_HI >>> (c - 64) & 1) != 0;
  }

  /** The pattern's tree with letters as written (the prefilter ignores case), or null. */
  private static RegexTree.Node tree(String regex) {
    try {
      return RegexTree.parse(regex, false).root();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static List<String> literals(RegexTree.Node tree, boolean folded) {
    try {
      Info i = new RegexLiterals(folded).info(tree);
      if (i.never()) {
        return List.of();
      }
      Set<String> best = best(i);
      if (best == null || best.isEmpty() || best.contains("")) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (String s : best) {
        if (anchorsOnly(s)) {
          return List.of(); // every text has a start and an end
        }
        out.add(nonAsciiWithoutAnchors(s).toLowerCase(Locale.ROOT));
      }
      return out;
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private static boolean anchorsOnly(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != TEXT_START && s.charAt(i) != TEXT_END) {
        return false;
      }
    }
    return true;
  }

  /**
   * The prefilter confirms literals with characters beyond ASCII against the text itself, where
   * the anchors are not: such a literal keeps only its text.
   */
  private static String nonAsciiWithoutAnchors(String s) {
    boolean nonAscii = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      nonAscii |= c >= 127 && c != TEXT_START && c != TEXT_END;
    }
    return nonAscii ? s.replace(String.valueOf(TEXT_START), "")
        .replace(String.valueOf(TEXT_END), "") : s;
  }

  private static Set<String> best(Info i) {
    Set<String> exact = i.exact() != null && !i.exact().contains("") ? i.exact() : null;
    return better(exact, i.required());
  }

  /** The more selective of two literal sets: longer shortest literal, then fewer literals. */
  private static Set<String> better(Set<String> a, Set<String> b) {
    if (a == null || a.isEmpty() || a.contains("")) {
      return b;
    }
    if (b == null || b.isEmpty() || b.contains("")) {
      return a;
    }
    int la = minLen(a);
    int lb = minLen(b);
    if (la != lb) {
      return la > lb ? a : b;
    }
    return a.size() <= b.size() ? a : b;
  }

  /**
   * The shortest literal's length, in half characters: an anchor counts half a character, as
   * "w" at the end of a text is rarer than "w" anywhere, but an anchor alone says nothing.
   */
  private static int minLen(java.util.Collection<String> s) {
    int min = Integer.MAX_VALUE;
    for (String x : s) {
      int len = 0;
      for (int i = 0; i < x.length(); i++) {
        len += x.charAt(i) == TEXT_START || x.charAt(i) == TEXT_END ? 1 : 2;
      }
      min = Math.min(min, len);
    }
    return min == Integer.MAX_VALUE ? 0 : min;
  }

  private Info info(RegexTree.Node n) {
    if (n instanceof RegexTree.Chars c) {
      return chars(c.ranges());
    }
    if (n instanceof RegexTree.Anchor a) {
      return new Info(Set.of(String.valueOf(a.start() ? TEXT_START : TEXT_END)), null);
    }
    if (n instanceof RegexTree.Concat c) {
      return concatenation(c.parts());
    }
    if (n instanceof RegexTree.Boundary) {
      return concatenation(List.of()); // matches no character: as the empty string
    }
    if (n instanceof RegexTree.Alt a) {
      return alternation(a.branches());
    }
    RegexTree.Repeat r = (RegexTree.Repeat) n;
    return repeated(info(r.node()), r.min(), r.max() < 0 ? Integer.MAX_VALUE : r.max());
  }

  private Info alternation(List<RegexTree.Node> nodes) {
    List<Info> branches = new ArrayList<>();
    for (RegexTree.Node b : nodes) {
      branches.add(info(b));
    }
    branches.removeIf(Info::never);
    if (branches.isEmpty()) {
      return Info.NEVER;
    }
    if (branches.size() == 1) {
      return branches.get(0);
    }
    Set<String> exact = new LinkedHashSet<>();
    Set<String> required = new LinkedHashSet<>();
    Set<String> prefix = new LinkedHashSet<>();
    Set<String> suffix = new LinkedHashSet<>();
    for (Info b : branches) {
      exact = b.exact() == null ? null : unite(exact, b.exact());
      required = unite(required, best(b));
      prefix = unite(prefix, b.prefix());
      suffix = unite(suffix, b.suffix());
    }
    return new Info(capped(exact), required, capped(prefix), capped(suffix), false,
        List.copyOf(branches));
  }

  /**
   * What every match of {@code alt} followed by a part starting with {@code next} holds, taken
   * branch by branch: each branch's own literals or its ends joined to {@code next}, whichever
   * is better; null when unknown.
   */
  private static Set<String> before(Info alt, Set<String> next) {
    Set<String> out = new LinkedHashSet<>();
    for (Info b : alt.branches()) {
      Set<String> r = better(best(b), spelled(joined(b.suffix(), next)));
      if (r == null) {
        return null;
      }
      out.addAll(r);
    }
    return out;
  }

  /** As {@link #before}, for {@code alt} preceded by a part ending with {@code previous}. */
  private static Set<String> after(Set<String> previous, Info alt) {
    Set<String> out = new LinkedHashSet<>();
    for (Info b : alt.branches()) {
      Set<String> r = better(best(b), spelled(joined(previous, b.prefix())));
      if (r == null) {
        return null;
      }
      out.addAll(r);
    }
    return out;
  }

  /** Adds {@code more} to {@code into}; unknown (null) when either is. */
  private static Set<String> unite(Set<String> into, Set<String> more) {
    if (into == null || more == null) {
      return null;
    }
    into.addAll(more);
    return into;
  }

  private static Set<String> capped(Set<String> s) {
    return s == null || s.size() > MAX_EXACT ? null : s;
  }

  /** Every x + y, or null when unknown or more than {@link #MAX_EXACT}. */
  private static Set<String> joined(Set<String> xs, Set<String> ys) {
    if (xs == null || ys == null || (long) xs.size() * ys.size() > MAX_EXACT * 4L) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String x : xs) {
      for (String y : ys) {
        out.add(x + y);
      }
      if (out.size() > MAX_EXACT) {
        return null; // it only grows: capped whatever the rest adds
      }
    }
    return capped(out);
  }

  /** Characters kept from each side by {@link #joinedEnds}. */
  private static final int SEAM = 2;

  /**
   * The last {@link #SEAM} characters of every x joined to the first {@link #SEAM} of every y
   * (the whole string when shorter): what x + y always holds when there are too many to spell;
   * null when unknown or more than eight times {@link #MAX_EXACT} (an automaton holds hundreds
   * of literals at no cost per character).
   */
  private static Set<String> joinedEnds(Set<String> xs, Set<String> ys) {
    if (xs == null || ys == null) {
      return null;
    }
    Set<String> ends = new LinkedHashSet<>();
    xs.forEach(x -> ends.add(x.substring(Math.max(0, x.length() - SEAM))));
    Set<String> starts = new LinkedHashSet<>();
    ys.forEach(y -> starts.add(y.substring(0, Math.min(SEAM, y.length()))));
    Set<String> out = new LinkedHashSet<>();
    for (String x : ends) {
      for (String y : starts) {
        out.add(x + y);
        if (out.size() > MAX_EXACT * 8) {
          return null;
        }
      }
    }
    return out;
  }

  private Info concatenation(List<RegexTree.Node> parts) {
    Set<String> run = Set.of(""); // what the current run of exact parts spells
    Set<String> tail = Set.of(""); // what every match so far ends with; null when unknown
    Set<String> head = Set.of(""); // what every match starts with, as far as known
    boolean headOpen = true; // whether head is all the parts so far (it can still grow)
    Set<String> required = null;
    boolean allExact = true;
    boolean never = false;
    Info previous = null;
    for (RegexTree.Node part : parts) {
      Info p = info(part);
      if (p.never()) {
        never = true;
        continue;
      }
      if (previous != null && previous.branches() != null && p.prefix() != null) {
        required = better(required, before(previous, p.prefix()));
      }
      if (p.branches() != null && tail != null) {
        required = better(required, after(tail, p));
      }
      previous = p;
      if (p.exact() != null) {
        Set<String> j = joined(run, p.exact());
        if (j == null) {
          required = better(required, spelled(run));
          run = p.exact();
          allExact = false;
        } else {
          run = j;
        }
      } else {
        required = better(required, spelled(run));
        required = better(required, best(p));
        run = Set.of("");
        allExact = false;
      }
      // what precedes a part, joined to how the part starts, is in every match
      Set<String> start = p.prefix();
      required = better(required, spelled(joined(tail, start)));
      Set<String> t = joined(tail, p.suffix());
      tail = p.exact() != null ? (t != null ? t : p.exact()) : p.suffix();
      required = better(required, spelled(tail));
      if (headOpen) {
        Set<String> h = joined(head, start);
        headOpen = p.exact() != null && h != null;
        head = h != null ? h : head;
      }
    }
    if (never) {
      return Info.NEVER;
    }
    required = better(required, spelled(run));
    required = better(required, spelled(head));
    return allExact ? new Info(run, required)
        : new Info(null, required, spelled(head), tail == null ? null : spelled(tail));
  }

  /** A run's strings as a requirement: none when the run can be empty. */
  private static Set<String> spelled(Set<String> run) {
    return run == null || run.contains("") ? null : run;
  }

  private static Info repeated(Info atom, int min, int max) {
    if (atom.never()) {
      return min == 0 ? Info.EMPTY : Info.NEVER;
    }
    if (atom.exact() != null && atom.exact().equals(Set.of(""))) {
      return Info.EMPTY; // repeated nothing (in a folded text: repeated evasion characters)
    }
    if (min == 0) {
      return max == 1 && atom.exact() != null && atom.exact().size() < MAX_EXACT
          ? new Info(unite(new LinkedHashSet<>(atom.exact()), Set.of("")), null) : Info.ANY;
    }
    if (min == 1 && max == 1) {
      return atom;
    }
    if (atom.exact() != null && !atom.exact().contains("")) {
      // x{2,3} contains xx: the repeated strings are required (\.{2,3} gives "..", where the
      // single "." that every URL holds would let the rule run on everything)
      Set<String> rep = Set.of("");
      for (int k = 0; k < Math.min(min, 8) && rep != null; k++) {
        Set<String> next = new LinkedHashSet<>();
        for (String x : rep) {
          for (String y : atom.exact()) {
            next.add(x + y);
          }
        }
        rep = next.size() > MAX_EXACT ? null : next;
      }
      if (rep != null) {
        return min == max && min <= 8 ? new Info(rep, rep)
            : new Info(null, rep, rep, rep); // the first and the last copies
      }
    }
    // too many copies to spell: one copy's end and the next one's start are still together in
    // every match (CRS 930100's "../" in its dozens of encodings: ".." and ".%" rather than ".")
    Set<String> seam = joinedEnds(atom.suffix(), atom.prefix());
    return new Info(null, better(best(atom), seam), atom.prefix(), atom.suffix());
  }

  /** One character of a set: exact when the set is small, unknown otherwise. */
  private Info chars(int[] ranges) {
    int size = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      size += ranges[i + 1] - ranges[i] + 1;
    }
    if (size > MAX_CLASS + (folded ? FOLDED_CHARS.length() + 1 : 0)) {
      return Info.ANY; // folding could not bring it down to MAX_CLASS
    }
    Set<String> chars = new LinkedHashSet<>();
    for (int i = 0; i < ranges.length; i += 2) {
      for (int c = ranges[i]; c <= ranges[i + 1]; c++) {
        chars.add(String.valueOf((char) c));
      }
    }
    if (folded) {
      // in a folded text the set cannot match a $, and its evasion characters match nothing
      chars.remove("$");
      if (chars.removeIf(ch -> FOLDED_CHARS.contains(ch))) {
        chars.add("");
      } else if (chars.isEmpty()) {
        return Info.NEVER;
      }
    }
    return chars.size() > MAX_CLASS ? Info.ANY : new Info(chars, null);
  }
}
