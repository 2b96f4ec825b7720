package org.evident.detect;

/**
 * The numeric operators {@code @eq @ge @gt @le @lt}: the target (often after {@code t:length})
 * read as an integer, compared with the argument. Text that is not a number counts as 0, as in
 * ModSecurity.
 */
final class NumericCompare implements Operator {
  private final String name;
  private final long value;

  NumericCompare(String name, String argument) {
    this.name = name;
    try {
      this.value = Long.parseLong(argument.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("@" + name + " needs a whole number, not '" + argument
          + "'");
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String find(String input) {
    long v = parse(input);
    boolean hit = switch (name) {
      case "eq" -> v == value;
      case "ge" -> v >= value;
      case "gt" -> v > value;
      case "le" -> v <= value;
      case "lt" -> v < value;
      default -> throw new IllegalStateException(name);
    };
    return hit ? Operator.clip(input) : null;
  }

  private static long parse(String s) {
    String t = s.trim();
    int end = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
    while (end < t.length() && end < 19 && Character.isDigit(t.charAt(end))) {
      end++;
    }
    try {
      return Long.parseLong(t.substring(0, end));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
