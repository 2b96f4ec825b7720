package org.evident.detect;

import java.util.HashSet;
import java.util.Set;

/**
 * {@code @detectSQLi}, of libinjection's kind but written here: the value is tokenised as SQL
 * three times (as it stands, and as if it continued a single- or double-quoted string, where an
 * injected value lands), each token reduced to its type (s string, n number, k keyword, & logic
 * operator, o operator, f function call, b bare word, v variable, c comment, and the punctuation
 * {@code ( ) , ;}), and the first tokens' types are matched against shapes that benign text
 * does not take: a string closed and followed by logic or a comment, a stacked query, a numeric
 * comparison joined by OR/AND, UNION SELECT, time-delay functions. No backtracking; linear in
 * the input (at most {@value #MAX_TOKENS} tokens are looked at).
 *
 * <p>With the argument {@code segments} a path's last segments are also read each as a value of
 * its own ({@code /item/1 or 1=1}), as an application that routes them to a query would; without
 * it the value is read whole, as libinjection reads it (CRS's {@code @detectSQLi}, whose
 * regression tests expect {@code /post/foo/9'union all/bar} to pass).
 */
final class DetectSqli implements Operator {
  static final int MAX_TOKENS = 8;
  private static final Set<String> KEYWORDS = Set.of("select", "union", "insert", "update",
      "delete", "drop", "from", "where", "having", "group", "order", "by", "limit", "into",
      "values", "table", "exec", "execute", "declare", "waitfor", "delay", "case", "when",
      "then", "else", "end", "like", "rlike", "regexp", "between", "is", "null", "not", "in",
      "exists", "procedure", "outfile", "dumpfile", "information_schema", "all", "distinct",
      "truncate", "alter", "create", "shutdown", "sounds", "collate", "offset", "true", "false");
  private static final Set<String> LOGIC = Set.of("and", "or", "xor", "div", "mod");
  /** Keywords that compare, after OR and a number or string: OR 2 BETWEEN 1 AND 3, OR 'a' IN (. */
  private static final Set<String> COMPARING = Set.of("between", "in", "like", "rlike",
      "regexp");
  /**
   * Shapes of a value taken as it stands: 1 OR 1=1, 1) AND (2>1, 1 OR 1--, and values that start
   * with the logic itself: OR x=x, ) OR ('a'='a. Matched on the token types; a fingerprint is
   * short ASCII, so the pattern's DFA screen decides it without RE2/J.
   */
  private static final Rx RAW_SHAPES = new Rx(
      "^(?:n\\)*&\\(*[nsb]o[nsb]|n\\)*&\\(*[nb]\\)*c|n\\)*&\\(*f\\(|\\)*&\\(*[snb]o[snb])");
  /**
   * Shapes of a value that closed the string it was put in: ' OR 'a'='a, ') OR (1, '--, ';,
   * and an operator between strings or before a number or function: '-', '+1, '||f(. A word
   * after the logic must be compared (' and x=1) or end the value: "And they told us" is prose.
   */
  private static final Rx QUOTED_SHAPES = new Rx(
      "^(?:s\\)*&\\(*([snfv(]|bo|b$)|s\\)*[c;]|s\\)*o[snfv(])");
  private static final Set<String> DELAY = Set.of("sleep", "benchmark", "pg_sleep",
      "extractvalue", "updatexml", "load_file", "dbms_pipe", "utl_inaddr", "get_lock");

  /** Whether a path's last segments are read on their own too. */
  private final boolean segments;

  /**
   * @param argument empty, or {@code segments}
   * @throws IllegalArgumentException for any other argument
   */
  DetectSqli(String argument) {
    String a = argument == null ? "" : argument.trim();
    if (!a.isEmpty() && !a.equals("segments")) {
      throw new IllegalArgumentException("detectSQLi takes no argument, or 'segments'; got '"
          + argument + "'");
    }
    this.segments = !a.isEmpty();
  }

  @Override
  public String name() {
    return "detectSQLi";
  }

  /**
   * What every suspicious shape needs: a quote to close, a logic operator, a statement
   * separator, UNION or one of the delay functions. Values without any never reach the
   * tokeniser (the detector's literal prefilter).
   */
  @Override
  public java.util.List<String> requiredLiterals() {
    java.util.List<String> l = new java.util.ArrayList<>(java.util.List.of("'", "\"", "or",
        "and", "xor", "||", "&&", ";", "union", "waitfor", "div", "mod"));
    l.addAll(DELAY);
    return l;
  }

  @Override
  public String find(String input) {
    if (!mayTurnSuspicious(input)) {
      return null; // nor can any of its segments: words do not cross a '/'
    }
    String found = judge(input);
    if (found != null || !segments || input.isEmpty() || input.charAt(0) != '/') {
      return found;
    }
    // a path: each of its last segments may be a value the application passes on
    // (/item/1 or 1=1), so each is read alone too, up to MAX_SEGMENTS of them
    int end = input.length();
    for (int k = 0; k < MAX_SEGMENTS && end > 0; k++) {
      int at = input.lastIndexOf('/', end - 1);
      if (at < 0) {
        break;
      }
      if (at + 1 < end) {
        String segment = input.substring(at + 1, end);
        if (mayTurnSuspicious(segment) && (found = judge(segment)) != null) {
          return found;
        }
      }
      end = at;
    }
    return null;
  }

  /** Path segments, from the last, that are read as values of their own. */
  static final int MAX_SEGMENTS = 4;

  /**
   * The tokens a shape may start at when a value is read whole: libinjection's five. A UNION
   * SELECT further on ({@code /post/foo/24 union all select 1}) is past what CRS's
   * {@code @detectSQLi} sees; path segments, read on their own, bring it within reach.
   */
  static final int WHOLE_VALUE_STARTS = 5;

  /** The shape of {@code input} if it is suspicious; {@link #mayTurnSuspicious} said it may be. */
  private String judge(String input) {
    // as it stands, then as if it continued a quoted string: only when it holds that quote
    for (char quote : new char[] {0, '\'', '"'}) {
      if (quote != 0 && input.indexOf(quote) < 0) {
        continue;
      }
      Shape s = tokenise(quote, input);
      if (suspicious(s, quote != 0, segments ? MAX_TOKENS : WHOLE_VALUE_STARTS)) {
        return Operator.clip(s.fingerprint() + ":" + input);
      }
    }
    return null;
  }

  /**
   * Words one of which every suspicious shape without a quote, ';', '||' or '&&' holds, by
   * length: a word of another length is passed over without being looked at.
   */
  private static final String[][] TRIGGERS = byLength(union(LOGIC, DELAY,
      Set.of("union", "waitfor", "order")));

  /** The words, sorted, in one array per length (0 to 20). */
  private static String[][] byLength(Set<String> words) {
    String[][] out = new String[21][];
    for (int len = 0; len < out.length; len++) {
      int l = len;
      out[len] = words.stream().filter(w -> w.length() == l).sorted().toArray(String[]::new);
    }
    return out;
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new HashSet<>();
    for (Set<String> x : sets) {
      all.addAll(x);
    }
    return all;
  }

  /**
   * False when no tokenising of {@code in} can give a suspicious shape: it holds no quote, no
   * ';', '||' or '&&', and none of the {@link #TRIGGERS} as a word of its own. The detector's
   * literal prefilter passes any text holding "or" (store, for, order), a third of ordinary
   * values; this finds the words as the tokeniser would, for the price of one pass and no
   * allocation. A character beyond ASCII ends a word here (so a word such as "orá" is looked at
   * as "or": more tokenising, never less), except the few that lower-case to ASCII (the Kelvin
   * sign to k): those, and surrogates, always send the value to the tokeniser.
   */
  static boolean mayTurnSuspicious(String in) {
    int n = in.length();
    int i = 0;
    while (i < n) {
      char c = in.charAt(i);
      if (c >= 128) {
        if (lowersToAscii(c) || Character.isSurrogate(c)) {
          return true;
        }
        i++;
        continue;
      }
      if (c == '\'' || c == '"' || c == ';'
          || (c == '|' || c == '&') && i + 1 < n && in.charAt(i + 1) == c) {
        return true;
      }
      if (!wordChar(c)) {
        i++;
        continue;
      }
      // a run of word characters: the tokeniser skips its leading dots (unless a digit follows),
      // then reads a number, or a word that spans the rest of the run
      int end = endOfRun(in, i);
      if (triggers(in, i, end)) {
        return true;
      }
      i = end;
    }
    return false;
  }

  /**
   * Whether the lower case of a character beyond ASCII holds ASCII: only the dotted capital I
   * (U+0130, "i" and a combining dot) and the Kelvin sign (U+212A, "k"); a test checks the whole
   * range against the running JDK.
   */
  static boolean lowersToAscii(char c) {
    return c == '\u0130' || c == '\u212A';
  }

  /** Where a run of ASCII word characters that starts at {@code from} ends. */
  private static int endOfRun(String in, int from) {
    int end = from;
    while (end < in.length() && in.charAt(end) < 128 && wordChar(in.charAt(end))) {
      end++;
    }
    return end;
  }

  /** Whether the run [from, end) reads, as the tokeniser reads it, as a trigger word. */
  private static boolean triggers(String in, int from, int end) {
    int start = from;
    while (start < end && in.charAt(start) == '.'
        && !(start + 1 < end && isAsciiDigit(in.charAt(start + 1)))) {
      start++;
    }
    if (start < end && isAsciiLetter(in.charAt(start)) && end - start < TRIGGERS.length) {
      for (String w : TRIGGERS[end - start]) {
        if (in.regionMatches(true, start, w, 0, w.length())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean wordChar(char c) {
    return isAsciiLetter(c) || isAsciiDigit(c) || c == '_' || c == '$' || c == '@' || c == '.';
  }

  private static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Token types (and the words of keywords and functions) of the first tokens. */
  record Shape(StringBuilder types, String[] words) {
    String fingerprint() {
      return types.toString();
    }
  }

  /**
   * @param quote 0 to read the value as it stands, or the quote of the string it is taken to
   *     continue (the first token is then that string, up to the quote that closes it)
   */
  static Shape tokenise(char quote, String in) {
    StringBuilder types = new StringBuilder();
    String[] words = new String[MAX_TOKENS];
    int i = 0;
    int n = in.length();
    if (quote != 0) {
      i = closing(in, 0, quote);
      types.append('s');
    }
    while (i < n && types.length() < MAX_TOKENS) {
      char c = in.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '\'' || c == '"' || c == '`') {
        types.append('s');
        i = closing(in, i + 1, c);
        continue;
      }
      if (c == '-' && i + 1 < n && in.charAt(i + 1) == '-' || c == '#') {
        if (c == '-' && startsWithWords(in, i + 2)) {
          words[types.length()] = PROSE;
        }
        types.append('c');
        break; // the rest is commented out
      }
      if (c == '/' && i + 1 < n && in.charAt(i + 1) == '*') {
        types.append('c');
        int end = in.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        continue;
      }
      if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(in.charAt(i + 1))) {
        types.append('n');
        i = endOfNumber(in, i);
        continue;
      }
      if (Character.isLetter(c) || c == '_' || c == '$' || c == '@') {
        int j = endOfWord(in, i);
        String w = word(in, i, j);
        words[types.length()] = w;
        types.append(wordType(c, w, in, j));
        i = j;
        continue;
      }
      if (c == '(' || c == ')' || c == ',' || c == ';') {
        types.append(c);
        i++;
        continue;
      }
      if (c == '|' && i + 1 < n && in.charAt(i + 1) == '|'
          || c == '&' && i + 1 < n && in.charAt(i + 1) == '&') {
        types.append('&');
        i += 2;
        continue;
      }
      if ("=<>!|&^+-*/%~".indexOf(c) >= 0) {
        if (types.length() == 0 || types.charAt(types.length() - 1) != 'o') {
          types.append('o');
        }
        i++;
        continue;
      }
      i++; // anything else is not SQL: skip it
    }
    return new Shape(types, words);
  }

  /**
   * The words a shape is told by (keywords, logic operators, delay functions), by length, each
   * once: an ASCII word of the value is one of them or is "", and is never copied.
   */
  private static final String[][] KNOWN = byLength(union(KEYWORDS, LOGIC, DELAY));

  /**
   * The word {@code in[from, to)} in lower case as far as the shapes need it: the known word it
   * is, or "" (long words are no SQL keyword). Beyond ASCII, lower case may change the length
   * (U+0130 becomes two characters), so such a word is copied and lower-cased as it stands.
   */
  private static String word(String in, int from, int to) {
    int len = to - from;
    if (len >= KNOWN.length) {
      return "";
    }
    for (int k = from; k < to; k++) {
      if (in.charAt(k) >= 128) {
        return in.substring(from, to).toLowerCase(java.util.Locale.ROOT);
      }
    }
    for (String w : KNOWN[len]) {
      if (in.regionMatches(true, from, w, 0, len)) {
        return w;
      }
    }
    return "";
  }

  /*
   * The loops over a token's characters are methods of their own: a long value runs them many
   * times, and the JIT then compiles the method holding them in the middle of the loop; when
   * they sat inside tokenise, that was three such compilations of all of it (0.1 s each).
   */

  private static int endOfNumber(String in, int from) {
    int j = from;
    while (j < in.length() && (Character.isLetterOrDigit(in.charAt(j)) || in.charAt(j) == '.')) {
      j++;
    }
    return j;
  }

  private static int endOfWord(String in, int from) {
    int j = from;
    while (j < in.length()) {
      char d = in.charAt(j);
      if (!Character.isLetterOrDigit(d) && d != '_' && d != '$' && d != '@' && d != '.') {
        break;
      }
      j++;
    }
    return j;
  }

  /** A word's token type: variable, logic, function (a name before '('), keyword or bare word. */
  private static char wordType(char first, String w, String in, int end) {
    if (first == '@') {
      return 'v';
    }
    if (LOGIC.contains(w)) {
      return '&';
    }
    int k = end;
    while (k < in.length() && Character.isWhitespace(in.charAt(k))) {
      k++;
    }
    if (k < in.length() && in.charAt(k) == '(' && !KEYWORDS.contains(w)) {
      return 'f';
    }
    return KEYWORDS.contains(w) ? 'k' : 'b';
  }

  /**
   * Whether what follows UNION at token {@code at} makes it SQL's, reading tokens up to
   * {@code end}: SELECT or a bracket before SELECT, or ALL or DISTINCT (comments passed over)
   * before SELECT, a bracket or the end. "9'union all/bar" is no query (CRS 942101's test 10);
   * "9'union all" may be one cut off. Where the reading ends at UNION itself (a value read whole
   * sees five tokens, as libinjection does), a comment before it decides (CRS 942101's test 9:
   * a path whose segments open and close a comment before "2 union all").
   */
  private static boolean unionSelects(String f, String[] w, int at, int end) {
    int i = at + 1;
    if (i >= end) {
      return f.lastIndexOf('c', at) >= 0;
    }
    if (f.charAt(i) == 'k' && ("all".equals(w[i]) || "distinct".equals(w[i]))) {
      do {
        i++;
      } while (i < end && f.charAt(i) == 'c');
      if (i >= end) {
        return true;
      }
    }
    if (f.charAt(i) == 'k') {
      return "select".equals(w[i]);
    }
    return f.charAt(i) == '('
        && (i + 1 >= end || f.charAt(i + 1) == 'k' && "select".equals(w[i + 1]));
  }

  /** Where a string that starts at {@code from} ends: just past its closing quote, or the end. */
  private static int closing(String in, int from, char quote) {
    int n = in.length();
    int j = from;
    while (j < n) {
      char d = in.charAt(j);
      if (d == '\\') {
        j += 2;
        continue;
      }
      if (d == quote) {
        if (j + 1 < n && in.charAt(j + 1) == quote) {
          j += 2; // a doubled quote stays inside
          continue;
        }
        return j + 1;
      }
      j++;
    }
    return n;
  }

  /**
   * Whether shape {@code s} is an injection's; shapes found anywhere in it (UNION SELECT, a
   * stacked query, a delay) count only when they start within its first {@code starts} tokens.
   */
  static boolean suspicious(Shape s, boolean quoted, int starts) {
    String f = s.fingerprint();
    String[] w = s.words();
    for (int i = 0; i + 1 < f.length() && i < starts; i++) {
      if (f.charAt(i) == 'k' && "union".equals(w[i])
          && unionSelects(f, w, i, Math.min(f.length(), starts))) {
        return true; // UNION [ALL] SELECT, UNION(SELECT; not "Union (class in ctypes)"
      }
      if (f.charAt(i) == ';' && f.charAt(i + 1) == 'k' && Set.of("drop", "delete", "insert",
          "update", "exec", "execute", "shutdown", "declare", "select", "truncate", "alter",
          "create", "waitfor").contains(w[i + 1])) {
        return true; // a stacked query
      }
      if (f.charAt(i) == 'f' && DELAY.contains(w[i])
          && (i + 2 >= f.length() || f.charAt(i + 2) != ')')) {
        return true; // time delays and error-based extraction; "sleep()" names, it calls nothing
      }
      if (f.charAt(i) == 'k' && "waitfor".equals(w[i]) && "delay".equals(w[i + 1])) {
        return true;
      }
      if (i + 2 < f.length() && f.charAt(i) == 'k' && "order".equals(w[i])
          && "by".equals(w[i + 1]) && f.charAt(i + 2) == 'n'
          && (i == 0 || "ns)".indexOf(f.charAt(i - 1)) >= 0)) {
        return true; // ORDER BY 5: counting the columns, alone or after the value it followed
      }
    }
    if (!quoted) {
      // 1 OR 1=1, 1) AND (2>1, 1 or 1--; a value that starts with the logic: OR x=x, ) or ('a'='a
      return RAW_SHAPES.occursIn(f)
          || f.startsWith("&k") && ("true".equals(w[1]) || "false".equals(w[1]))
          || (f.startsWith("&nk") || f.startsWith("&sk")) && COMPARING.contains(w[2])
          || f.startsWith("&(k") && ("exists".equals(w[2]) || "select".equals(w[2]))
          || f.startsWith("&nc");
    }
    // the value closed the string it was put in: what follows decides
    int c = 1;
    while (c < f.length() && f.charAt(c) == ')') {
      c++;
    }
    if (c < f.length() && f.charAt(c) == 'c' && w[c] == PROSE) {
      return false; // 'Gates' of hell." -- like that one: a dash that goes on in words
    }
    return QUOTED_SHAPES.occursIn(f);
  }

  /**
   * Marks a {@code --} comment that goes on in words, as a dash does in prose ({@code stty 0'
   * -- it works}); libinjection, too, takes a string and a comment for SQL only when the
   * comment is a bare {@code --}. Two words at least: sqlmap ends its payloads with one random
   * word ({@code -- aYbT}), and a bare {@code admin'-- x} still truncates a query. Compared by
   * identity.
   */
  private static final String PROSE = new String("--prose");

  /** Whether two words of ASCII letters start at {@code from}, after whitespace. */
  private static boolean startsWithWords(String in, int from) {
    int i = skipSpace(in, from);
    int word = i;
    while (i < in.length() && isAsciiLetter(in.charAt(i))) {
      i++;
    }
    int next = skipSpace(in, i);
    return i > word && next > i && next < in.length() && isAsciiLetter(in.charAt(next));
  }

  private static int skipSpace(String in, int from) {
    int i = from;
    while (i < in.length() && Character.isWhitespace(in.charAt(i))) {
      i++;
    }
    return i;
  }
}
