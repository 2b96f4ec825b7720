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
 */
final class RegexLiterals {
  private static final int MAX_EXACT = 32;
  private static final int MAX_CLASS = 6;

  /** What a part of the pattern guarantees; null fields mean unknown. */
  private record Info(Set<String> exact, Set<String> required) {
    static final Info ANY = new Info(null, null);
    static final Info EMPTY = new Info(Set.of(""), null);
  }

  private final String re;
  private int pos;

  private RegexLiterals(String re) {
    this.re = re;
  }

  /** Lower-case literals one of which every match holds, or empty when none are known. */
  static List<String> required(String regex) {
    try {
      RegexLiterals p = new RegexLiterals(regex);
      Info i = p.alternation();
      if (p.pos != regex.length()) {
        return List.of();
      }
      Set<String> best = best(i);
      if (best == null || best.isEmpty() || best.contains("")) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (String s : best) {
        out.add(s.toLowerCase(Locale.ROOT));
      }
      return out;
    } catch (RuntimeException e) {
      return List.of();
    }
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

  private static int minLen(Set<String> s) {
    return s.stream().mapToInt(String::length).min().orElse(0);
  }

  private Info alternation() {
    List<Info> branches = new ArrayList<>();
    branches.add(concatenation());
    while (pos < re.length() && re.charAt(pos) == '|') {
      pos++;
      branches.add(concatenation());
    }
    if (branches.size() == 1) {
      return branches.get(0);
    }
    Set<String> exact = new LinkedHashSet<>();
    Set<String> required = new LinkedHashSet<>();
    for (Info b : branches) {
      if (exact != null) {
        if (b.exact() == null) {
          exact = null;
        } else {
          exact.addAll(b.exact());
        }
      }
      if (required != null) {
        Set<String> r = best(b);
        if (r == null) {
          required = null;
        } else {
          required.addAll(r);
        }
      }
    }
    if (exact != null && exact.size() > MAX_EXACT) {
      exact = null;
    }
    return new Info(exact, required);
  }

  private Info concatenation() {
    Set<String> run = Set.of(""); // what the current run of exact parts spells
    Set<String> required = null;
    boolean allExact = true;
    while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
      Info p = quantified();
      if (p.exact() != null) {
        Set<String> joined = new LinkedHashSet<>();
        for (String x : run) {
          for (String y : p.exact()) {
            joined.add(x + y);
          }
        }
        if (joined.size() > MAX_EXACT) {
          required = better(required, spelled(run));
          run = p.exact();
          allExact = false;
        } else {
          run = joined;
        }
      } else {
        required = better(required, spelled(run));
        required = better(required, best(p));
        run = Set.of("");
        allExact = false;
      }
    }
    required = better(required, spelled(run));
    return new Info(allExact ? run : null, required);
  }

  /** A run's strings as a requirement: none when the run can be empty. */
  private static Set<String> spelled(Set<String> run) {
    return run.contains("") ? null : run;
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
        return min == max && min <= 8 ? new Info(rep, rep) : new Info(null, rep);
      }
    }
    return new Info(null, best(atom));
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
        return Info.EMPTY;
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

  private static Info literal(char c) {
    return new Info(Set.of(String.valueOf(c)), null);
  }

  private Info escape() {
    pos++;
    char e = re.charAt(pos++);
    switch (e) {
      case 'b', 'B', 'A', 'z', 'Z', 'G' -> {
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
    if (unknown || chars.size() > MAX_CLASS) {
      return Info.ANY;
    }
    return new Info(chars, null);
  }
}
