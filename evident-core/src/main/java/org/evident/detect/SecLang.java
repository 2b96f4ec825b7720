package org.evident.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads ModSecurity's rule language (SecLang) into directives: {@code SecRule VARIABLES
 * OPERATOR ACTIONS}, {@code SecAction ACTIONS}, {@code SecMarker NAME} and the rest by name.
 * Handles line continuations, comments, and double-quoted arguments with backslash escapes; the
 * meaning of the directives is {@link CrsRules}'s business.
 */
final class SecLang {
  /** One action of an action list, e.g. {@code t:lowercase} or {@code msg:'...'}. */
  record Action(String name, String value) {}

  /**
   * One directive.
   *
   * @param name e.g. {@code SecRule}
   * @param args its arguments, unquoted
   * @param line the line it starts on
   */
  record Directive(String name, List<String> args, int line) {
    /** The variables of a SecRule: its first argument split on {@code |}. */
    List<Variable> variables() {
      List<Variable> out = new ArrayList<>();
      if (!args.isEmpty()) {
        for (String v : args.get(0).split("\\|")) {
          out.add(Variable.parse(v));
        }
      }
      return out;
    }

    /** The actions of a SecRule (third argument) or SecAction (first). */
    List<Action> actions() {
      String list = name.equals("SecRule") ? (args.size() > 2 ? args.get(2) : "")
          : name.equals("SecAction") && !args.isEmpty() ? args.get(0) : "";
      return parseActions(list);
    }
  }

  /**
   * One variable a SecRule reads: {@code ARGS}, {@code !REQUEST_HEADERS:Referer},
   * {@code &ARGS:action}, {@code ARGS:/^json\./}.
   *
   * @param not whether it is left out ({@code !})
   * @param count whether it reads how many there are ({@code &}), not their values
   * @param name the collection, upper case
   * @param key what follows the colon, as written, or null
   */
  record Variable(boolean not, boolean count, String name, String key) {

    static Variable parse(String text) {
      String t = text.strip();
      boolean not = t.startsWith("!");
      t = not ? t.substring(1) : t;
      boolean count = t.startsWith("&");
      t = count ? t.substring(1) : t;
      int colon = t.indexOf(':');
      return new Variable(not, count,
          (colon < 0 ? t : t.substring(0, colon)).toUpperCase(java.util.Locale.ROOT),
          colon < 0 ? null : t.substring(colon + 1));
    }
  }

  private SecLang() {}

  /**
   * The lines of a rule or data file, each without its {@code \n} or {@code \r\n}. Not
   * {@code split("\r?\n")}: a regex over the whole of CRS's files was the only work that kept
   * java.util.regex hot enough for the JIT to compile it during every scan with CRS.
   */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int nl = text.indexOf('\n', from);
      if (nl < 0) {
        out.add(text.substring(from));
        return out;
      }
      out.add(text.substring(from, nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl));
      from = nl + 1;
    }
  }

  static List<Directive> parse(String text) {
    List<Directive> out = new ArrayList<>();
    List<String> lines = lines(text);
    StringBuilder cur = new StringBuilder();
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (cur.length() == 0) {
        String s = l.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        start = i + 1;
      }
      if (l.endsWith("\\")) {
        cur.append(l, 0, l.length() - 1).append(' ');
        continue;
      }
      cur.append(l);
      List<String> words = words(cur.toString(), start);
      cur.setLength(0);
      if (!words.isEmpty()) {
        out.add(new Directive(words.get(0), List.copyOf(words.subList(1, words.size())),
            start));
      }
    }
    return out;
  }

  /**
   * Splits a directive into words; double quotes group, backslash escapes a quote. Text between
   * quotes and backslashes is copied in runs found with indexOf: CRS's 720 KB of rules went
   * through here a character at a time, on cold code, at every start, and the JIT compiled the
   * loop with C2 for nothing (24 ms, and as much for the action lists).
   */
  static List<String> words(String s, int line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      if (s.charAt(i) == '"') {
        StringBuilder w = new StringBuilder();
        i = quoted(s, i + 1, '"', w, line);
        out.add(w.toString());
      } else {
        int end = i;
        while (end < n && !Character.isWhitespace(s.charAt(end))) {
          end++;
        }
        out.add(s.substring(i, end));
        i = end;
      }
    }
    return out;
  }

  /**
   * Appends the quoted text that starts at {@code from} up to its closing {@code quote} and
   * returns the index after it. A backslash before the quote gives the quote; before a
   * backslash, in double quotes, both backslashes (regexes need them); any other backslash is
   * kept. Double-quoted text must be closed; an action list's single-quoted value may run to the
   * end (the index returned is then past it).
   */
  private static int quoted(String s, int from, char quote, StringBuilder w, int line) {
    int n = s.length();
    int i = from;
    int close = s.indexOf(quote, i);
    while (true) {
      int slash = s.indexOf('\\', i);
      if (close < 0 && (slash < 0 || quote == '"')) {
        if (quote == '"') {
          throw new IllegalArgumentException("line " + line + ": unterminated quoted argument");
        }
        w.append(s, i, n);
        return n + 1;
      }
      if (slash < 0 || close >= 0 && slash > close) {
        w.append(s, i, close);
        return close + 1;
      }
      w.append(s, i, slash);
      char next = slash + 1 < n ? s.charAt(slash + 1) : 0;
      if (next == quote || quote == '"' && next == '\\') {
        if (next == '\\') {
          w.append('\\');
        }
        w.append(next);
        i = slash + 2;
        if (slash + 1 == close) {
          close = s.indexOf(quote, i);
        }
      } else {
        w.append('\\');
        i = slash + 1;
      }
    }
  }

  static List<Action> parseActions(String list) {
    List<Action> out = new ArrayList<>();
    int i = 0;
    int n = list.length();
    while (i < n) {
      while (i < n && (Character.isWhitespace(list.charAt(i)) || list.charAt(i) == ',')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int nameStart = i;
      while (i < n && list.charAt(i) != ':' && list.charAt(i) != ',') {
        i++;
      }
      String name = list.substring(nameStart, i).strip();
      String value = null;
      if (i < n && list.charAt(i) == ':') {
        i++;
        if (i < n && list.charAt(i) == '\'') {
          StringBuilder v = new StringBuilder();
          i = quoted(list, i + 1, '\'', v, 0);
          value = v.toString().strip();
        } else {
          int comma = list.indexOf(',', i);
          int end = comma < 0 ? n : comma;
          value = list.substring(i, end).strip();
          i = end;
        }
      }
      out.add(new Action(name, value));
    }
    return out;
  }
}
