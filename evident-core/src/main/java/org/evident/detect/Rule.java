package org.evident.detect;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One detection rule, compiled: what to look at, how to normalise it, what to look for, and what
 * a match means.
 *
 * @param id stable identifier, e.g. {@code EV-942100}
 * @param attackClass e.g. {@code sqli}; {@code null} for a rule that only names a tool
 * @param severity contribution to the anomaly score
 * @param message what the rule detects, in words
 * @param targets where it looks
 * @param transformations applied in order before the operator
 * @param operator the test
 * @param prefilter literals (lower case, after transformation) of which one must occur; empty
 *     means the operator always runs
 * @param statuses response statuses the rule is limited to; empty means any
 * @param tool the attack tool a match identifies, or {@code null}
 * @param tags free-form tags (MITRE ATT&amp;CK, CAPEC)
 * @param paranoia the lowest paranoia level (1-4) at which the rule runs; higher levels add
 *     rules that catch more and misjudge more benign traffic, as in the OWASP CRS
 * @param chain further conditions that must hold too (chained SecLang rules), or null
 * @param selectors for {@link Target#ARGS} and {@link Target#ARGS_NAMES}, the arguments it reads
 *     by name ({@code ARGS:_method}); a target not in it reads every argument
 */
public record Rule(
    String id,
    String attackClass,
    Severity severity,
    String message,
    Set<Target> targets,
    List<Transformation> transformations,
    Operator operator,
    List<String> prefilter,
    Set<Integer> statuses,
    String tool,
    List<String> tags,
    int paranoia,
    Chain chain,
    Map<Target, ArgumentSelector> selectors) {

  public Rule {
    selectors = Map.copyOf(selectors);
  }

  /** A rule that reads every argument it looks at. */
  public Rule(String id, String attackClass, Severity severity, String message,
      Set<Target> targets, List<Transformation> transformations, Operator operator,
      List<String> prefilter, Set<Integer> statuses, String tool, List<String> tags,
      int paranoia, Chain chain) {
    this(id, attackClass, severity, message, targets, transformations, operator, prefilter,
        statuses, tool, tags, paranoia, chain, Map.of());
  }

  /** The arguments it reads of {@code t}, by name. */
  public ArgumentSelector selector(Target t) {
    return selectors.getOrDefault(t, ArgumentSelector.ALL);
  }
}
