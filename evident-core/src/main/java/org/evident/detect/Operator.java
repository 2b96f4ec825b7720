package org.evident.detect;

/**
 * A test applied to one transformed target, as in ModSecurity's {@code @rx}, {@code @pm}, ...
 * Operators see attacker-controlled text: none may backtrack or take more than linear time.
 */
public interface Operator {

  /** The name used in rule files, e.g. {@code rx}. */
  String name();

  /**
   * Looks for a match.
   *
   * @return the matched fragment (at most {@link #MAX_FRAGMENT} characters), or {@code null}
   */
  String find(String input);

  /** Literals of which at least one must occur in a matching input; empty when unknown. */
  default java.util.List<String> requiredLiterals() {
    return java.util.List.of();
  }

  int MAX_FRAGMENT = 200;

  static String clip(String s) {
    return s.length() <= MAX_FRAGMENT ? s : s.substring(0, MAX_FRAGMENT);
  }
}
