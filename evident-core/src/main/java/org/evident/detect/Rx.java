package org.evident.detect;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Regular expression match in RE2/J: linear time in the input whatever the pattern, so no input
 * can make a rule stall the scan. Patterns that need backtracking (back references, lookaround)
 * are refused when the rule loads.
 */
final class Rx implements Operator {
  private final Pattern pattern;
  private final java.util.List<String> literals;

  Rx(String regex) {
    this.literals = RegexLiterals.required(regex);
    try {
      this.pattern = Pattern.compile(regex, Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("pattern does not compile in RE2: " + e.getMessage());
    }
  }

  @Override
  public String name() {
    return "rx";
  }

  @Override
  public java.util.List<String> requiredLiterals() {
    return literals;
  }

  /** Group 0 and the capture groups of the first match (at most 10, as ModSecurity keeps), or null. */
  String[] captures(String input) {
    Matcher m = pattern.matcher(input);
    if (!m.find()) {
      return null;
    }
    String[] out = new String[Math.min(10, m.groupCount() + 1)];
    for (int i = 0; i < out.length; i++) {
      out[i] = m.group(i);
    }
    return out;
  }

  Matcher matcher(String input) {
    return pattern.matcher(input);
  }

  @Override
  public String find(String input) {
    Matcher m = pattern.matcher(input);
    return m.find() ? Operator.clip(m.group()) : null;
  }
}
