package org.evident.detect;

import java.util.AbstractList;
import java.util.List;
import java.util.Locale;

/**
 * A rule's prefilter read off its operator, in lower case, when a detector first asks for it.
 * Reading the literals of a pattern is most of the work of loading CRS, and the detector asks
 * only for the rules it runs: at paranoia level 1 a third of CRS's rules never need theirs.
 */
final class RequiredLiterals extends AbstractList<String> {
  private final Operator operator;
  private volatile List<String> literals;

  RequiredLiterals(Operator operator) {
    this.operator = operator;
  }

  private List<String> literals() {
    List<String> l = literals;
    if (l == null) {
      l = operator.requiredLiterals().stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
      literals = l; // the same list whichever thread reads it first
    }
    return l;
  }

  @Override
  public String get(int index) {
    return literals().get(index);
  }

  @Override
  public int size() {
    return literals().size();
  }
}
