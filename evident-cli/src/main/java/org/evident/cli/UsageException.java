package org.evident.cli;

/**
 * A bad option value, or options that do not go together, found after picocli parsed them (a
 * month that is no month, an unknown format, a paranoia level of 9): exit code 2, as for the
 * usage errors picocli finds itself, so that a script tells a mistyped command from one that
 * could not do its work (exit 1).
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
