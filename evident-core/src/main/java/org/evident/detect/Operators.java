package org.evident.detect;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/** The registry of operators by name; each takes its argument as text from the rule file. */
public final class Operators {
  private Operators() {}

  private static final Map<String, Function<String, Operator>> BY_NAME = new TreeMap<>();
  /** The operators that run one pattern, made of it compiled now or when first run. */
  private static final Map<String, Function<Rx, Operator>> BY_PATTERN =
      Map.of("rx", rx -> rx, "rxquotebreak", RxQuoteBreak::new);

  static {
    BY_PATTERN.forEach((name, f) -> BY_NAME.put(name, arg -> f.apply(new Rx(arg))));
    BY_NAME.put("pm", arg -> new Pm(List.of(arg.trim().split("\\s+"))));
    BY_NAME.put("contains", Contains::new);
    BY_NAME.put("beginswith", BeginsWith::new);
    BY_NAME.put("endswith", EndsWith::new);
    BY_NAME.put("streq", Streq::new);
    BY_NAME.put("within", Within::new);
    for (String n : new String[] {"eq", "ge", "gt", "le", "lt"}) {
      BY_NAME.put(n, arg -> new NumericCompare(n, arg));
    }
    BY_NAME.put("ipmatch", IpMatch::new);
    BY_NAME.put("validateurlencoding", arg -> new ValidateUrlEncoding());
    BY_NAME.put("validateutf8encoding", arg -> new ValidateUtf8Encoding());
    BY_NAME.put("validatebyterange", ValidateByteRange::new);
    BY_NAME.put("unconditionalmatch", arg -> new UnconditionalMatch(true));
    BY_NAME.put("nomatch", arg -> new UnconditionalMatch(false));
    BY_NAME.put("detectsqli", DetectSqli::new);
    BY_NAME.put("detectxss", arg -> new DetectXss());
  }

  /** The operator names known (lower case). */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /**
   * Builds an operator.
   *
   * @throws IllegalArgumentException for an unknown name or an argument that does not compile
   */
  public static Operator create(String name, String argument) {
    Function<String, Operator> f = BY_NAME.get(name.toLowerCase(Locale.ROOT));
    if (f == null) {
      throw new IllegalArgumentException("unknown operator '" + name + "'; known: "
          + String.join(", ", names()));
    }
    return f.apply(argument);
  }

  /**
   * As {@link #create(String, String)}, leaving the compiling of a pattern that
   * {@code compiledBefore} names until a rule first runs it: a rule set loading hundreds of
   * patterns (CRS) runs few of them on a given log, and compiling all at load was a third of
   * the work of loading CRS. Only patterns this build of Evident compiled before may be named,
   * as a pattern that does not compile is then found out only when it runs.
   */
  static Operator create(String name, String argument, Predicate<String> compiledBefore) {
    Function<Rx, Operator> f = BY_PATTERN.get(name.toLowerCase(Locale.ROOT));
    return f != null && compiledBefore.test(argument) ? f.apply(Rx.compiledBefore(argument))
        : create(name, argument);
  }

  /** A phrase-match operator over an explicit list of phrases. */
  public static Operator phrases(List<String> phrases) {
    return new Pm(phrases);
  }
}
