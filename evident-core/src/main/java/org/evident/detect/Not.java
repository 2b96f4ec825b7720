package org.evident.detect;

/** SecLang's {@code !@op}: matches when the operator does not (the whole value is the fragment). */
final class Not implements Operator {
  private final Operator inner;

  Not(Operator inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return "!" + inner.name();
  }

  @Override
  public String find(String input) {
    return inner.find(input) == null ? Operator.clip(input) : null;
  }
}
