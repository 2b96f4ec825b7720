package org.evident.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.evident.report.TerminalText;
import org.evident.store.CountRow;
import org.evident.store.Dimension;
import org.evident.store.EventFilter;
import org.evident.store.EvidentStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which stored attacks a command covers: a month or a time range, a site, a country, a class. */
final class Selection {
  @Mixin
  TimeRange range = new TimeRange();

  @Option(names = "--month", paramLabel = "YYYY-MM",
      description = "One month, UTC (instead of --since/--until).")
  String month;

  @Option(names = "--site", paramLabel = "NAME", description = "Only this site.")
  String site;

  @Option(names = "--country", paramLabel = "CC", description = "Only this ISO country code.")
  String country;

  @Option(names = "--class", paramLabel = "CLASS", description = "Only this attack class.")
  String attackClass;

  /**
   * When nothing was selected and a class was named: a line saying so if no stored attack has
   * that class at all (a misspelt class selects nothing, which must not read as "no attacks of
   * that kind"), with the classes that are stored.
   */
  void explainNothing(EvidentStore db, long selected) {
    if (selected > 0 || attackClass == null) {
      return;
    }
    List<String> stored = db.top(Dimension.CLASSES, new EventFilter(null, null, null, null,
        null), 100).stream().map(CountRow::key).filter(Objects::nonNull).sorted().toList();
    if (!stored.contains(attackClass)) {
      System.err.println("evident: no stored attack has class '"
          + TerminalText.safe(attackClass) + "'; the classes stored are: "
          + (stored.isEmpty() ? "none" : String.join(", ", stored)));
    }
  }

  EventFilter filter() {
    Instant since = range.sinceInstant();
    Instant until = range.untilInstant();
    if (month != null) {
      if (since != null || until != null) {
        throw new UsageException("give --month or --since/--until, not both");
      }
      try {
        EventFilter m = EventFilter.month(month, null);
        since = m.since();
        until = m.until();
      } catch (DateTimeParseException e) {
        throw new UsageException("--month '" + month + "' is not a month; use YYYY-MM, e.g."
            + " 2013-02");
      }
    }
    TimeRange.requireOrdered(since, until);
    if (country != null && !country.matches("[A-Za-z]{2}")) {
      throw new UsageException("--country '" + country + "' is not an ISO 3166 two-letter"
          + " country code; use e.g. US or CN");
    }
    return new EventFilter(since, until, site,
        country == null ? null : country.toUpperCase(Locale.ROOT), attackClass);
  }
}
