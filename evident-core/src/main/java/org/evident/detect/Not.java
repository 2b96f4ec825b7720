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
    if (inner instanceof Rx rx) {
      // a negated pattern mostly sees texts it matches (CRS 920100: well-formed request
      // lines); its screen can tell both answers without running RE2/J
      int screened = rx.screen(input);
      if (screened == DfaScreen.YES) {
        return null;
      }
      if (screened == DfaScreen.NO) {
        return Operator.clip(input);
      }
      return rx.locate(input) == null ? Operator.clip(input) : null; // screened once is enough
    }
    return inner.find(input) == null ? Operator.clip(input) : null;
  }
}
