package org.evident.detect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Literals of which a regular expression's every match must contain at least one, read off the
 * pattern's structure: the prefilter that keeps benign text away from the regex engine. When in
 * doubt it answers "unknown" (empty), which only costs speed: the rule then always runs.
 *
 * <p>Each part of the pattern is summarised by the finite set of strings it can match exactly
 * (when small) and a set of literals one of which any of its matches contains. Concatenation
 * keeps the better child's set, or joins exact neighbours into longer strings; alternation
 * unites its branches' sets (an unknown branch makes the whole unknown); optional parts
 * contribute nothing required.
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

  private final String re;
  private final boolean folded;
  private int pos;
  /** Once a flag group sets multi-line mode, anchors match at line ends: they say nothing. */
  private boolean multiline;

  private RegexLiterals(String re, boolean folded) {
    this.re = re;
    this.folded = folded;
  }

  /** Lower-case literals one of which every match holds, or empty when none are known. */
  static List<String> required(String regex) {
    return literals(regex, false);
  }

  /**
   * Lower-case literals one of which the folded text of every match holds, when the text holds
   * no {@code $} (see the class comment); empty when none are known.
   */
  static List<String> requiredFolded(String regex) {
    return literals(regex, true);
  }

  /**
   * The literals a prefilter should use for this pattern: the folded ones, each led by
   * {@link #FOLDED}, when they are more selective than the plain ones.
   */
  static List<String> prefilter(String regex) {
    List<String> plain = required(regex);
    List<String> folded = requiredFolded(regex);
    if (folded.isEmpty() || (!plain.isEmpty()
        && minLen(Set.copyOf(folded)) <= minLen(Set.copyOf(plain)))) {
      return plain; // folding costs a second scan: only worth it for longer literals
    }
    List<String> out = new ArrayList<>();
    folded.forEach(f -> out.add(FOLDED + f));
    return out;
  }

  private static List<String> literals(String regex, boolean folded) {
    try {
      RegexLiterals p = new RegexLiterals(regex, folded);
      Info i = p.alternation();
      if (p.pos != regex.length() || i.never()) {
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
  private static int minLen(Set<String> s) {
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

  private Info alternation() {
    List<Info> branches = new ArrayList<>();
    branches.add(concatenation());
    while (pos < re.length() && re.charAt(pos) == '|') {
      pos++;
      branches.add(concatenation());
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
    }
    return capped(out);
  }

  private Info concatenation() {
    Set<String> run = Set.of(""); // what the current run of exact parts spells
    Set<String> tail = Set.of(""); // what every match so far ends with; null when unknown
    Set<String> head = Set.of(""); // what every match starts with, as far as known
    boolean headOpen = true; // whether head is all the parts so far (it can still grow)
    Set<String> required = null;
    boolean allExact = true;
    boolean never = false;
    Info previous = null;
    while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
      Info p = quantified();
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

  private Info quantified() {
    Info atom = atom();
    if (pos >= re.length()) {
      return atom;
    }
    char c = re.charAt(pos);
    int min;
    int max;
    if (c == '?' || c == '*' || c == '+') {
      pos++;
      min = c == '+' ? 1 : 0;
      max = c == '?' ? 1 : Integer.MAX_VALUE;
    } else if (c == '{' && re.indexOf('}', pos) > pos && re.substring(pos + 1,
        re.indexOf('}', pos)).matches("\\d+(,\\d*)?")) {
      String spec = re.substring(pos + 1, re.indexOf('}', pos));
      pos = re.indexOf('}', pos) + 1;
      int comma = spec.indexOf(',');
      min = Integer.parseInt(comma < 0 ? spec : spec.substring(0, comma));
      max = comma < 0 ? min : comma == spec.length() - 1 ? Integer.MAX_VALUE
          : Integer.parseInt(spec.substring(comma + 1));
    } else {
      return atom;
    }
    if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
      pos++; // lazy or possessive: the same strings
    }
    if (atom.never()) {
      return min == 0 ? Info.EMPTY : Info.NEVER;
    }
    if (atom.exact() != null && atom.exact().equals(Set.of(""))) {
      return Info.EMPTY; // repeated nothing (in a folded text: repeated evasion characters)
    }
    if (min == 0) {
      return max == 1 && atom.exact() != null && atom.exact().size() < MAX_EXACT
          ? new Info(union(atom.exact(), Set.of("")), null) : Info.ANY;
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
    return new Info(null, best(atom), atom.prefix(), atom.suffix());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new LinkedHashSet<>(a);
    u.addAll(b);
    return u;
  }

  private Info atom() {
    char c = re.charAt(pos);
    switch (c) {
      case '(' -> {
        pos++;
        if (re.startsWith("?", pos)) {
          int close = pos + 1;
          while (close < re.length() && Character.isLetter(re.charAt(close))) {
            close++;
          }
          multiline |= re.substring(pos + 1, close).indexOf('m') >= 0;
          if (close < re.length() && re.charAt(close) == ')') {
            pos = close + 1; // (?i): flags only
            return Info.EMPTY;
          }
          if (close < re.length() && re.charAt(close) == ':') {
            pos = close + 1;
          } else if (re.startsWith("?P<", pos) || re.startsWith("?<", pos)) {
            pos = re.indexOf('>', pos) + 1;
          } else {
            throw new IllegalArgumentException("group kind");
          }
        }
        Info inner = alternation();
        if (pos >= re.length() || re.charAt(pos) != ')') {
          throw new IllegalArgumentException("unbalanced");
        }
        pos++;
        return inner;
      }
      case '[' -> {
        return charClass();
      }
      case '.' -> {
        pos++;
        return Info.ANY;
      }
      case '^', '$' -> {
        pos++;
        return anchor(c == '^' ? TEXT_START : TEXT_END);
      }
      case '\\' -> {
        return escape();
      }
      default -> {
        pos++;
        return literal(c);
      }
    }
  }

  private Info anchor(char marker) {
    return multiline ? Info.EMPTY : new Info(Set.of(String.valueOf(marker)), null);
  }

  private Info literal(char c) {
    if (folded && c == '$') {
      return Info.NEVER;
    }
    if (folded && FOLDED_CHARS.indexOf(c) >= 0) {
      return Info.EMPTY;
    }
    return new Info(Set.of(String.valueOf(c)), null);
  }

  private Info escape() {
    pos++;
    char e = re.charAt(pos++);
    switch (e) {
      case 'A' -> {
        return anchor(TEXT_START);
      }
      case 'z' -> {
        return anchor(TEXT_END);
      }
      case 'b', 'B', 'Z', 'G' -> {
        return Info.EMPTY;
      }
      case 's', 'S', 'w', 'W', 'd', 'D', 'p', 'P', 'h', 'H', 'v', 'V', 'R', 'X' -> {
        if ((e == 'p' || e == 'P') && pos < re.length() && re.charAt(pos) == '{') {
          pos = re.indexOf('}', pos) + 1;
        } else if (e == 'p' || e == 'P') {
          pos++;
        }
        return Info.ANY;
      }
      case 'x' -> {
        if (re.charAt(pos) == '{') {
          int close = re.indexOf('}', pos);
          char v = (char) Integer.parseInt(re.substring(pos + 1, close), 16);
          pos = close + 1;
          return literal(v);
        }
        char v = (char) Integer.parseInt(re.substring(pos, pos + 2), 16);
        pos += 2;
        return literal(v);
      }
      case 'n' -> {
        return literal('\n');
      }
      case 'r' -> {
        return literal('\r');
      }
      case 't' -> {
        return literal('\t');
      }
      case 'f' -> {
        return literal('\f');
      }
      case 'Q' -> {
        int end = re.indexOf("\\E", pos);
        String q = end < 0 ? re.substring(pos) : re.substring(pos, end);
        pos = end < 0 ? re.length() : end + 2;
        if (folded && q.indexOf('$') >= 0) {
          return Info.NEVER;
        }
        if (folded) {
          StringBuilder b = new StringBuilder();
          q.chars().filter(ch -> FOLDED_CHARS.indexOf(ch) < 0).forEach(ch -> b.append((char) ch));
          q = b.toString();
        }
        return new Info(Set.of(q), null);
      }
      default -> {
        if (Character.isLetterOrDigit(e)) {
          throw new IllegalArgumentException("escape \\" + e);
        }
        return literal(e);
      }
    }
  }

  private Info charClass() {
    pos++;
    boolean negated = re.charAt(pos) == '^';
    if (negated) {
      pos++;
    }
    Set<String> chars = new LinkedHashSet<>();
    boolean unknown = negated;
    boolean first = true;
    while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
      first = false;
      char c = re.charAt(pos);
      int ch;
      if (c == '[' && re.startsWith("[:", pos)) {
        pos = re.indexOf(":]", pos) + 2;
        unknown = true;
        continue;
      }
      if (c == '\\') {
        pos++;
        char e = re.charAt(pos++);
        switch (e) {
          case 'x' -> {
            if (re.charAt(pos) == '{') {
              int close = re.indexOf('}', pos);
              ch = Integer.parseInt(re.substring(pos + 1, close), 16);
              pos = close + 1;
            } else {
              ch = Integer.parseInt(re.substring(pos, pos + 2), 16);
              pos += 2;
            }
          }
          case 'n' -> ch = '\n';
          case 'r' -> ch = '\r';
          case 't' -> ch = '\t';
          case 'f' -> ch = '\f';
          case 'v' -> ch = 0x0b;
          default -> {
            if (Character.isLetterOrDigit(e)) {
              if ((e == 'p' || e == 'P') && pos < re.length() && re.charAt(pos) == '{') {
                pos = re.indexOf('}', pos) + 1;
              }
              unknown = true;
              continue;
            }
            ch = e;
          }
        }
      } else {
        pos++;
        ch = c;
      }
      if (pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
        pos++;
        int hi;
        char h = re.charAt(pos);
        if (h == '\\') {
          pos++;
          char e = re.charAt(pos++);
          if (e == 'x' && re.charAt(pos) == '{') {
            int close = re.indexOf('}', pos);
            hi = Integer.parseInt(re.substring(pos + 1, close), 16);
            pos = close + 1;
          } else if (e == 'x') {
            hi = Integer.parseInt(re.substring(pos, pos + 2), 16);
            pos += 2;
          } else {
            hi = e;
          }
        } else {
          pos++;
          hi = h;
        }
        if (hi - ch > MAX_CLASS) {
          unknown = true;
        } else {
          for (int v = ch; v <= hi; v++) {
            chars.add(String.valueOf((char) v));
          }
        }
      } else {
        chars.add(String.valueOf((char) ch));
      }
    }
    if (pos >= re.length()) {
      throw new IllegalArgumentException("unterminated class");
    }
    pos++;
    if (folded && !unknown) {
      // in a folded text the class cannot match a $, and its evasion characters match nothing
      chars.remove("$");
      if (chars.removeIf(ch -> FOLDED_CHARS.contains(ch))) {
        chars.add("");
      } else if (chars.isEmpty()) {
        return Info.NEVER;
      }
    }
    if (unknown || chars.size() > MAX_CLASS) {
      return Info.ANY;
    }
    return new Info(chars, null);
  }
}
