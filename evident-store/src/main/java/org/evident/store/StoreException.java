package org.evident.store;

/** A store failure with a message fit to show a user as it is. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }
}
