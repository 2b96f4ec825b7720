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

  /**
   * Operators already built, by expanded argument. Most arguments expand the same way for every
   * request (%{tx.restricted_extensions} is set once, at setup), and building one (a word list,
   * a pattern) costs far more than using it. Bounded: emptied when full.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Operator> built =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_BUILT = 256;

  /** The operator for one request, its argument expanded. */
  Operator bind(UnaryOperator<String> expand) {
    String argument = expand.apply(template);
    Operator op = built.get(argument);
    if (op == null) {
      Operator made = Operators.create(name, argument);
      op = negated ? new Not(made) : made;
      if (built.size() >= MAX_BUILT) {
        built.clear();
      }
      built.put(argument, op);
    }
    return op;
  }

  /** The argument with its macros, as the rule wrote it. */
  String template() {
    return template;
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
