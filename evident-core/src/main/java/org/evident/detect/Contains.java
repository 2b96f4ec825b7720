package org.evident.detect;

/** The {@code @contains} operator: exact, case-sensitive (lower-case the target first if needed). */
final class Contains implements Operator {
  private final String value;

  Contains(String value) {
    this.value = value;
  }

  @Override
  public String name() {
    return "contains";
  }

  @Override
  public String find(String input) {
    return input.indexOf(value) >= 0 ? Operator.clip(input) : null;
  }

  @Override
  public java.util.List<String> requiredLiterals() {
    return java.util.List.of(value);
  }
}
