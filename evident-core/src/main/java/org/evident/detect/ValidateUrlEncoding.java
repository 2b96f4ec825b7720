package org.evident.detect;

/**
 * {@code @validateUrlEncoding}: matches (reports a problem) when a {@code %} is not followed by
 * two hex digits, the mark of broken or evasive encoding.
 */
final class ValidateUrlEncoding implements Operator {

  @Override
  public String name() {
    return "validateUrlEncoding";
  }

  @Override
  public String find(String input) {
    for (int i = input.indexOf('%'); i >= 0; i = input.indexOf('%', i + 1)) {
      if (Hex.value(input, i + 1, 2) < 0) {
        return Operator.clip(input.substring(i, Math.min(input.length(), i + 3)));
      }
    }
    return null;
  }
}
