package org.evident.cli;

/**
 * A failure the user caused and can fix (a bad path, an unreadable file, an empty database):
 * shown as its message alone, one sentence, with exit code 1. A bad option value is a
 * {@link UsageException} (exit 2). Anything else reaching the top is a bug and keeps its stack
 * trace.
 */
public final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserException(String message) {
    super(message);
  }
}
