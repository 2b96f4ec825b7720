package org.evident.log;

/** A log format: a name and a factory of parsers, one parser per source. */
public interface LogFormat {

  /** The name a user types to force this format, e.g. {@code combined}. */
  String name();

  /** A fresh parser with its own per-source state. */
  LineParser newParser();

  /**
   * This format reading the times it finds without an offset (HAProxy's accept date, a JSON
   * {@code "2013-02-10T10:00:00"}) in {@code zone} instead of UTC; its name says so
   * ({@code haproxy@Europe/Paris}), so a later scan reads the file's new lines the same way. Formats whose times are UTC by definition (W3C, ALB) return themselves.
   */
  default LogFormat inZone(java.time.ZoneId zone) {
    return this;
  }
}
