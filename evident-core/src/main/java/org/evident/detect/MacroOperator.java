package org.evident.detect;

import java.util.function.UnaryOperator;

/**
 * An operator whose argument names request or transaction values ({@code %{request_headers.host}},
 * {@code %{tx.1}}): built for each request from the expanded argument. Used only in the
 * conditions of chained rules, which run for the few requests whose first line matched.
 */
final class MacroOperator implements Operator {
  private final String name;
  private final String template;
  private final boolean negated;

  MacroOperator(String name, String template, boolean negated) {
    this.name = name;
    this.template = template;
    this.negated = negated;
  }

  /** The operator for one request, its argument expanded. */
  Operator bind(UnaryOperator<String> expand) {
    Operator op = Operators.create(name, expand.apply(template));
    return negated ? new Not(op) : op;
  }

  @Override
  public String name() {
    return (negated ? "!" : "") + name;
  }

  @Override
  public String find(String input) {
    throw new IllegalStateException("bind a macro operator to a request first");
  }
}
