package org.evident.detect;

import com.google.re2j.Matcher;

/**
 * A regular expression whose match must begin with a quote that breaks out of a string: one
 * that is odd in the value up to there, so it closes a string the application opened rather
 * than one the visitor typed. {@code admin' --} and {@code x' or 'a'='a} break out;
 * {@code "true" and "false"} and {@code ."It's like deja vu." -- Yogi Berra} quote and close
 * their own text, as search boxes and comments do all day. RE2/J, linear time; every match
 * is considered, so the quote count is one pass over the value.
 */
final class RxQuoteBreak implements Operator {
  private final Rx rx;

  RxQuoteBreak(Rx rx) {
    this.rx = rx;
  }

  Rx rx() {
    return rx;
  }

  @Override
  public String name() {
    return "rxQuoteBreak";
  }

  @Override
  public java.util.List<String> requiredLiterals() {
    return rx.requiredLiterals();
  }

  @Override
  public String find(String input) {
    if (!rx.mayMatch(input)) {
      return null;
    }
    Matcher m = rx.matcher(input);
    int counted = 0;
    int single = 0;
    int dbl = 0;
    int back = 0;
    int from = 0;
    while (from <= input.length() && m.find(from)) {
      int start = m.start();
      char q = start < input.length() ? input.charAt(start) : 0;
      for (; counted <= start && counted < input.length(); counted++) {
        switch (input.charAt(counted)) {
          case '\'' -> single++;
          case '"' -> dbl++;
          case '`' -> back++;
          default -> { }
        }
      }
      int n = q == '\'' ? single : q == '"' ? dbl : q == '`' ? back : -1;
      if (n < 0 || (n & 1) == 1) {
        return Operator.clip(m.group()); // no quote to judge by, or one that breaks out
      }
      from = start + 1;
    }
    return null;
  }
}
