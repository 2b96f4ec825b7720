package org.evident.detect;

/** The {@code @within} operator: exact, case-sensitive (lower-case the target first if needed). */
final class Within implements Operator {
  private final String value;

  Within(String value) {
    this.value = value;
  }

  @Override
  public String name() {
    return "within";
  }

  @Override
  public String find(String input) {
    return value.contains(input) ? Operator.clip(input) : null;
  }

  @Override
  public java.util.List<String> requiredLiterals() {
    return java.util.List.of();
  }
}
