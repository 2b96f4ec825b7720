package org.evident.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** {@code --since} and {@code --until}, as dates, months or instants (UTC). */
final class TimeRange {
  @Option(names = "--since", paramLabel = "TIME",
      description = "From this time on (inclusive): 2013-02, 2013-02-01, 2013-02-01T10:00"
          + " (UTC) or 2013-02-01T11:00+01:00.")
  String since;

  @Option(names = "--until", paramLabel = "TIME",
      description = "Before this time (exclusive); same forms as --since.")
  String until;

  Instant sinceInstant() {
    return parse(since, "--since");
  }

  Instant untilInstant() {
    return parse(until, "--until");
  }

  /**
   * Refuses a range that ends before it begins: it would select nothing, and "no attacks" would
   * read as an answer about the site instead of about the command.
   */
  static void requireOrdered(Instant since, Instant until) {
    if (since != null && until != null && !since.isBefore(until)) {
      throw new UsageException("--since must be before --until");
    }
  }

  static Instant parse(String s, String option) {
    try {
      return org.evident.store.EventFilter.time(s);
    } catch (DateTimeParseException e) {
      throw new UsageException(option + " '" + s + "' is not a time; use 2013-02,"
          + " 2013-02-01, 2013-02-01T10:00 (UTC) or 2013-02-01T11:00+01:00");
    }
  }
}
