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
}
