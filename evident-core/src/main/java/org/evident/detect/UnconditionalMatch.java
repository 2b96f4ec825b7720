package org.evident.detect;

/** {@code @unconditionalMatch} always matches, {@code @noMatch} never: for flow and tests. */
final class UnconditionalMatch implements Operator {
  private final boolean matches;

  UnconditionalMatch(boolean matches) {
    this.matches = matches;
  }

  @Override
  public String name() {
    return matches ? "unconditionalMatch" : "noMatch";
  }

  @Override
  public String find(String input) {
    return matches ? Operator.clip(input) : null;
  }
}
