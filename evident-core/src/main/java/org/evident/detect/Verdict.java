package org.evident.detect;

import java.util.List;

/**
 * The judgement on one request.
 *
 * @param attack whether the anomaly score reached the threshold
 * @param score the anomaly score
 * @param attackClass the class of the strongest match, or {@code null}
 * @param severity the strongest severity, or {@code null}
 * @param tool the attack tool identified, or {@code null}
 * @param matches every rule that fired, in rule order
 */
public record Verdict(boolean attack, int score, String attackClass, Severity severity,
    String tool, List<Match> matches) {

  public static final Verdict CLEAN = new Verdict(false, 0, null, null, null, List.of());

  /** The ids of the rules that fired, in order. */
  public List<String> ruleIds() {
    return matches.stream().map(Match::ruleId).toList();
  }
}
