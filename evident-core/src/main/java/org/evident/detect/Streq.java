package org.evident.detect;

/** The {@code @streq} operator: exact, case-sensitive (lower-case the target first if needed). */
final class Streq implements Operator {
  private final String value;

  Streq(String value) {
    this.value = value;
  }

  @Override
  public String name() {
    return "streq";
  }

  @Override
  public String find(String input) {
    return input.equals(value) ? Operator.clip(input) : null;
  }

  @Override
  public java.util.List<String> requiredLiterals() {
    return java.util.List.of(value);
  }
}
