package org.evident.detect;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which query arguments, by name, a SecLang variable reads: {@code ARGS:_method} one of them,
 * {@code ARGS:/^json\./} those a pattern finds, {@code ARGS|!ARGS:password} all but one. A rule
 * that names an argument must not fire on another's value: CRS 920650 looks for a method in
 * {@code _method}, and a site's {@code SecRule ARGS:username} on its login form only. Names are
 * compared as ModSecurity compares them: decoded once, as its argument parser decodes, and in
 * any case.
 *
 * @param only the names or patterns read; empty for every argument
 * @param except the names or patterns left out
 */
public record ArgumentSelector(List<Key> only, List<Key> except) {

  /** Every argument: what a variable without a name reads. */
  static final ArgumentSelector ALL = new ArgumentSelector(List.of(), List.of());

  private static final Transformation ARGUMENT_PARSER = UrlDecodeUni.argumentParser();

  public ArgumentSelector {
    only = List.copyOf(only);
    except = List.copyOf(except);
  }

  /**
   * One name, lower case, or one pattern (RE2/J: a name is attacker text), as a variable's key
   * writes it.
   */
  public record Key(String name, Pattern pattern) {

    /** {@code _method}, or {@code /^json\./} for a pattern; an invalid pattern is refused. */
    static Key parse(String text) {
      String t = text.strip();
      if (t.length() >= 2 && t.startsWith("/") && t.endsWith("/")) {
        try {
          return new Key(null, Pattern.compile(t.substring(1, t.length() - 1),
              Pattern.CASE_INSENSITIVE));
        } catch (com.google.re2j.PatternSyntaxException e) {
          throw new IllegalArgumentException("argument name pattern " + t + " does not compile");
        }
      }
      return new Key(t.toLowerCase(Locale.ROOT), null);
    }

    boolean matches(String decodedLower) {
      return name != null ? name.equals(decodedLower) : pattern.matcher(decodedLower).find();
    }
  }

  /** Whether it reads every argument. */
  boolean all() {
    return only.isEmpty() && except.isEmpty();
  }

  /** Whether it reads the argument named {@code rawName} as the log has it (still encoded). */
  boolean selects(String rawName) {
    String n = name(rawName);
    if (!only.isEmpty() && !matchesAny(only, n)) {
      return false;
    }
    return except.isEmpty() || !matchesAny(except, n);
  }

  /** A name as the selector compares it: decoded once, lower case. */
  static String name(String rawName) {
    return ARGUMENT_PARSER.apply(rawName).toLowerCase(Locale.ROOT);
  }

  private static boolean matchesAny(List<Key> keys, String name) {
    for (Key k : keys) {
      if (k.matches(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The selector of the variables {@code ARGS}, {@code ARGS:key} and {@code !ARGS:key} of one
   * SecLang line, given as their keys: null for a plain variable (every argument), the key for
   * one that names it. Once any variable reads them all, names only leave out.
   */
  static ArgumentSelector of(List<String> read, List<String> leftOut) {
    List<Key> only = new ArrayList<>();
    boolean every = false;
    for (String k : read) {
      if (k == null) {
        every = true;
      } else {
        only.add(Key.parse(k));
      }
    }
    List<Key> except = new ArrayList<>();
    for (String k : leftOut) {
      except.add(Key.parse(k));
    }
    return new ArgumentSelector(every ? List.of() : only, except);
  }
}
