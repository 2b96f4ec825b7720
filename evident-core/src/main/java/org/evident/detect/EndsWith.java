package org.evident.detect;

/** The {@code @endsWith} operator: exact, case-sensitive (lower-case the target first if needed). */
final class EndsWith implements Operator {
  private final String value;

  EndsWith(String value) {
    this.value = value;
  }

  @Override
  public String name() {
    return "endsWith";
  }

  @Override
  public String find(String input) {
    return input.endsWith(value) ? Operator.clip(input) : null;
  }

  @Override
  public java.util.List<String> requiredLiterals() {
    return java.util.List.of(value);
  }
}
