package org.evident.detect;

/**
 * One rule that fired on one request: the evidence a verdict rests on.
 *
 * @param ruleId the rule
 * @param attackClass its class ({@code null} for tool-only rules)
 * @param severity its severity
 * @param target where it fired, e.g. {@code args}
 * @param fragment the matched text after transformation (clipped)
 */
public record Match(String ruleId, String attackClass, Severity severity, String target,
    String fragment) {

  /** The same match, found in a more precisely named place ({@code args:q}). */
  Match in(String where) {
    return new Match(ruleId, attackClass, severity, where, fragment);
  }
}
