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
    /** The actions of a SecRule (third argument) or SecAction (first). */
    List<Action> actions() {
      String list = name.equals("SecRule") ? (args.size() > 2 ? args.get(2) : "")
          : name.equals("SecAction") && !args.isEmpty() ? args.get(0) : "";
      return parseActions(list);
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

  /** Splits a directive into words; double quotes group, backslash escapes a quote. */
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
      StringBuilder w = new StringBuilder();
      if (s.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = s.charAt(i);
          if (c == '\\' && i + 1 < n && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
            // keep a backslash before a backslash: regexes need it; drop it before a quote
            if (s.charAt(i + 1) == '\\') {
              w.append('\\');
            }
            w.append(s.charAt(i + 1));
            i += 2;
          } else if (c == '"') {
            i++;
            closed = true;
            break;
          } else {
            w.append(c);
            i++;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("line " + line + ": unterminated quoted argument");
        }
      } else {
        while (i < n && !Character.isWhitespace(s.charAt(i))) {
          w.append(s.charAt(i++));
        }
      }
      out.add(w.toString());
    }
    return out;
  }

  /** Splits {@code a,b:c,msg:'x, y'} into actions; single quotes group. */
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
        StringBuilder v = new StringBuilder();
        if (i < n && list.charAt(i) == '\'') {
          i++;
          while (i < n && list.charAt(i) != '\'') {
            if (list.charAt(i) == '\\' && i + 1 < n && list.charAt(i + 1) == '\'') {
              i++;
            }
            v.append(list.charAt(i++));
          }
          i++;
        } else {
          while (i < n && list.charAt(i) != ',') {
            v.append(list.charAt(i++));
          }
        }
        value = v.toString().strip();
      }
      out.add(new Action(name, value));
    }
    return out;
  }
}
