package org.evident.evidence;

/** A bundle that cannot be checked at all: not JSON, truncated, too big, missing parts. */
public final class BundleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }
}
