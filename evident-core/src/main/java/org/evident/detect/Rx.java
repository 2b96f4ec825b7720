package org.evident.detect;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Regular expression match in RE2/J: linear time in the input whatever the pattern, so no input
 * can make a rule stall the scan. Patterns that need backtracking (back references, lookaround)
 * are refused when the rule loads. A {@link DfaScreen} answers first: most texts are ruled out
 * in one table lookup per character, and RE2/J only locates the matches.
 */
final class Rx implements Operator {
  /** Null until first needed for a pattern known to compile (see {@link #compiledBefore}). */
  private volatile Pattern pattern;
  private final String regex;
  /**
   * The literals a match must hold, read off the pattern when first asked: a rule that names
   * its own prefilter (nearly every built-in one) never asks, and reading them was a third of
   * loading the built-in rules.
   */
  private volatile java.util.List<String> literals;
  /**
   * Answers "cannot match" for most texts before RE2/J is asked; built on first use (rules whose
   * prefilter never passes never pay for it), null when the pattern has none.
   */
  private volatile DfaScreen screen;
  private volatile boolean screenTried;

  /** @throws IllegalArgumentException when RE2/J refuses the pattern */
  Rx(String regex) {
    this(regex, compile(regex));
  }

  private Rx(String regex, Pattern pattern) {
    this.regex = regex;
    this.pattern = pattern;
  }

  /**
   * A pattern that this build of Evident compiled before, compiled when a rule first runs it
   * (see {@link Operators#create(String, String, java.util.function.Predicate)}).
   */
  static Rx compiledBefore(String regex) {
    return new Rx(regex, null);
  }

  private static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex, Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("pattern does not compile in RE2: " + e.getMessage());
    }
  }

  /** The compiled pattern; threads that first need it at once may each compile it. */
  private Pattern pattern() {
    Pattern p = pattern;
    if (p == null) {
      try {
        p = compile(regex);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("a pattern given as compiled before does not compile: "
            + e.getMessage());
      }
      pattern = p;
    }
    return p;
  }

  private DfaScreen screen() {
    if (!screenTried) {
      synchronized (this) {
        if (!screenTried) {
          screen = DfaScreen.of(regex);
          screenTried = true;
        }
      }
    }
    return screen;
  }

  /** False only when {@code input} cannot hold a match. */
  boolean mayMatch(String input) {
    DfaScreen s = screen();
    return s == null || s.mayMatch(input);
  }

  /** {@link DfaScreen#test}, or {@link DfaScreen#MAYBE} when the pattern has no screen. */
  int screen(String input) {
    DfaScreen s = screen();
    return s == null ? DfaScreen.MAYBE : s.test(input);
  }

  @Override
  public String name() {
    return "rx";
  }

  @Override
  public java.util.List<String> requiredLiterals() {
    java.util.List<String> l = literals;
    if (l == null) {
      l = RegexLiterals.prefilter(regex); // the same list whichever thread reads it first
      literals = l;
    }
    return l;
  }

  /** The pattern's literals if they were read or reused already, else null. */
  java.util.List<String> literalsIfRead() {
    return literals;
  }

  /**
   * Takes the literals that this build of Evident read off this same pattern before (see
   * {@link RuleSet#reusePatternLiterals}), unless they are read already.
   */
  void reuseLiterals(java.util.List<String> known) {
    if (literals == null) {
      literals = java.util.List.copyOf(known);
    }
  }

  String regex() {
    return regex;
  }

  /** The pattern a rule's operator runs and reads its prefilter off, or null when none. */
  static Rx of(Operator op) {
    return op instanceof Rx rx ? rx : op instanceof RxQuoteBreak q ? q.rx() : null;
  }

  /** Group 0 and the capture groups of the first match (at most 10, as ModSecurity keeps), or null. */
  String[] captures(String input) {
    if (!mayMatch(input)) {
      return null;
    }
    Matcher m = pattern().matcher(input);
    if (!m.find()) {
      return null;
    }
    String[] out = new String[Math.min(10, m.groupCount() + 1)];
    for (int i = 0; i < out.length; i++) {
      out[i] = m.group(i);
    }
    return out;
  }

  Matcher matcher(String input) {
    return pattern().matcher(input);
  }

  @Override
  public String find(String input) {
    return mayMatch(input) ? locate(input) : null;
  }

  /**
   * Whether the pattern occurs in {@code input}: where the screen is sure either way (an exact
   * pattern over ASCII text, as a fingerprint is), RE2/J is not asked at all.
   */
  boolean occursIn(String input) {
    int screened = screen(input);
    return screened == DfaScreen.YES || screened == DfaScreen.MAYBE && locate(input) != null;
  }

  /** The match RE2/J finds, without asking the screen first (a caller that already did). */
  String locate(String input) {
    Matcher m = pattern().matcher(input);
    return m.find() ? Operator.clip(m.group()) : null;
  }
}
