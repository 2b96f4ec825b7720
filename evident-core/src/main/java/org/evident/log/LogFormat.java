package org.evident.log;

/** A log format: a name and a factory of parsers, one parser per source. */
public interface LogFormat {

  /** The name a user types to force this format, e.g. {@code combined}. */
  String name();

  /** A fresh parser with its own per-source state. */
  LineParser newParser();
}
