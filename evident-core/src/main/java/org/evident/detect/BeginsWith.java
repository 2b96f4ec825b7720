package org.evident.detect;

/** The {@code @beginsWith} operator: exact, case-sensitive (lower-case the target first if needed). */
final class BeginsWith implements Operator {
  private final String value;

  BeginsWith(String value) {
    this.value = value;
  }

  @Override
  public String name() {
    return "beginsWith";
  }

  @Override
  public String find(String input) {
    return input.startsWith(value) ? Operator.clip(input) : null;
  }

  @Override
  public java.util.List<String> requiredLiterals() {
    return java.util.List.of(value);
  }
}
