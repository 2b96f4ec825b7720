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
 * @param unscored rules above the paranoia level that fired because a higher detection paranoia
 *     level ran them (CRS's {@code tx.detection_paranoia_level}): shown for tuning, never
 *     counted in the score, the class or the tool, so raising the detection level alone
 *     changes no count
 * @param excused matches an allow-list entry dropped, with the entry that did: shown when
 *     tuning (which entry cleared a request), never scored; a request they alone matched is clean
 */
public record Verdict(boolean attack, int score, String attackClass, Severity severity,
    String tool, List<Match> matches, List<Match> unscored, List<Excused> excused) {

  public static final Verdict CLEAN =
      new Verdict(false, 0, null, null, null, List.of(), List.of(), List.of());

  /**
   * A match an allow-list entry dropped.
   *
   * @param allow where the entry is: its file and its place in the file's {@code allow:} list
   */
  public record Excused(Match match, String allow) {}

  /** The points the unscored matches would add (tool-only rules add none, as when scored). */
  public int unscoredScore() {
    int sum = 0;
    for (Match m : unscored) {
      if (m.attackClass() != null) {
        sum += m.severity().score();
      }
    }
    return sum;
  }

  /** Whether no rule fired, scored or not, but those an allow entry excused. */
  public boolean clean() {
    return matches.isEmpty() && unscored.isEmpty();
  }

  /** The ids of the rules that fired, in order. */
  public List<String> ruleIds() {
    return matches.stream().map(Match::ruleId).toList();
  }
}
