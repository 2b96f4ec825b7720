package org.evident.detect;

import java.util.Objects;

/**
 * One rule that fired on one request: the evidence a verdict rests on. A value type (equal when
 * every part is), though not a record: where a pattern's screen is sure of a match, the fragment
 * is located by RE2/J only when first asked for. A scan keeps one fragment per attack, and RE2/J
 * locating the others was most of the time an attack request took.
 */
public final class Match {
  private final String ruleId;
  private final String attackClass;
  private final Severity severity;
  private final String target;
  private final Fragment fragment;

  /**
   * @param ruleId the rule
   * @param attackClass its class ({@code null} for tool-only rules)
   * @param severity its severity
   * @param target where it fired, e.g. {@code args}
   * @param fragment the matched text after transformation (clipped)
   */
  public Match(String ruleId, String attackClass, Severity severity, String target,
      String fragment) {
    this(ruleId, attackClass, severity, target, new Fragment(null, fragment, fragment));
  }

  private Match(String ruleId, String attackClass, Severity severity, String target,
      Fragment fragment) {
    this.ruleId = ruleId;
    this.attackClass = attackClass;
    this.severity = severity;
    this.target = target;
    this.fragment = fragment;
  }

  /** A match of {@code rx} in {@code input} that is certain, its fragment found when asked. */
  static Match located(String ruleId, String attackClass, Severity severity, String target,
      Rx rx, String input) {
    return new Match(ruleId, attackClass, severity, target, new Fragment(rx, input, null));
  }

  public String ruleId() {
    return ruleId;
  }

  public String attackClass() {
    return attackClass;
  }

  public Severity severity() {
    return severity;
  }

  public String target() {
    return target;
  }

  /** The matched text after transformation (clipped). */
  public String fragment() {
    return fragment.text();
  }

  /** The same match, found in a more precisely named place ({@code args:q}). */
  Match in(String where) {
    return new Match(ruleId, attackClass, severity, where, fragment);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Match m && ruleId.equals(m.ruleId)
        && Objects.equals(attackClass, m.attackClass) && severity == m.severity
        && Objects.equals(target, m.target) && Objects.equals(fragment(), m.fragment());
  }

  @Override
  public int hashCode() {
    return Objects.hash(ruleId, attackClass, severity, target, fragment());
  }

  @Override
  public String toString() {
    return "Match[ruleId=" + ruleId + ", attackClass=" + attackClass + ", severity=" + severity
        + ", target=" + target + ", fragment=" + fragment() + "]";
  }

  /**
   * The fragment, or what to find it in. Shared by the copies {@link #in} makes (a cached
   * value's match serves every request that repeats the value), found at most once per race.
   */
  private static final class Fragment {
    private final Rx rx;
    private final String input;
    private volatile String text;

    Fragment(Rx rx, String input, String text) {
      this.rx = rx;
      this.input = input;
      this.text = text;
    }

    String text() {
      String t = text;
      if (t == null && rx != null) {
        t = rx.locate(input);
        text = t = t != null ? t : Operator.clip(input); // the screen was sure; RE2/J agrees
      }
      return t;
    }
  }
}
