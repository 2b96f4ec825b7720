package org.evident.detect;

/**
 * One step of normalisation applied to a target before an operator sees it, as in ModSecurity's
 * {@code t:} actions. Implementations return their input unchanged (the same instance) when there
 * is nothing to do, so chains over clean text allocate nothing.
 */
public interface Transformation {

  /** The name used in rule files, e.g. {@code urlDecodeUni}. */
  String name();

  String apply(String input);

  /**
   * ASCII characters without which this transformation leaves any input unchanged, or
   * {@code null} when it cannot say. Lets the detector skip it for most benign values after one
   * look at which characters a value holds. A value holding a character beyond ASCII runs every
   * transformation: the empty string says one changes only those.
   */
  default String triggers() {
    return null;
  }
}
