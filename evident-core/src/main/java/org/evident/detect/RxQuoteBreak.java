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
          case '\'' -> single += contraction(input, counted) ? 0 : 1;
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

  /**
   * Whether the apostrophe at {@code at} joins a word to an English contraction's ending
   * ({@code I'd}, {@code don't}, {@code it's}, {@code we're}, {@code you'll}): search text is
   * full of them, and no injection closes a string there, as SQL would then read the ending
   * ({@code d}, {@code t}, {@code s}) as a word of its own and fail. Not counting them keeps
   * {@code I'd like 'this' and 'that'} the visitor's own quoting; a payload that puts one before
   * its quote ({@code it's x' or 'a'='a}) is read with its break odd again.
   */
  private static boolean contraction(String in, int at) {
    if (at == 0 || !Character.isLetter(in.charAt(at - 1))) {
      return false;
    }
    int end = at + 1;
    while (end < in.length() && end - at <= 2 && Character.isLetter(in.charAt(end))) {
      end++;
    }
    if (end < in.length() && Character.isLetter(in.charAt(end))) {
      return false; // a longer word follows: O'Brien, admin'or
    }
    return switch (end - at - 1) {
      case 1 -> "stdmSTDM".indexOf(in.charAt(at + 1)) >= 0;
      case 2 -> in.regionMatches(true, at + 1, "re", 0, 2) || in.regionMatches(true, at + 1,
          "ve", 0, 2) || in.regionMatches(true, at + 1, "ll", 0, 2);
      default -> false;
    };
  }
}
