package org.evident.log;

/**
 * A line that could not be read as a request. Carries a short machine-readable reason so that
 * skipped lines are counted by reason. Has no stack trace: bad lines are expected input, not bugs,
 * and filling a trace per line would cost more than parsing it.
 */
public final class BadLineException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public BadLineException(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  /** A short, stable reason such as {@code unparseable}, {@code bad-time}, {@code missing-field}. */
  public String reason() {
    return reason;
  }
}
