package org.evident.store;

import java.time.Instant;

/** Which attack events a query covers; {@code null} fields do not filter. */
public record EventFilter(Instant since, Instant until, String site, String country,
    String attackClass) {

  public static final EventFilter ALL = new EventFilter(null, null, null, null, null);

  /**
   * One month (yyyy-mm, UTC) of one site, or of all sites when {@code site} is null.
   *
   * @throws java.time.format.DateTimeParseException when it is not a month
   */
  public static EventFilter month(String month, String site) {
    java.time.YearMonth m = java.time.YearMonth.parse(month);
    return new EventFilter(m.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
        m.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), site, null,
        null);
  }

  /**
   * A bound of a time range as people write it: a month (2013-02), a day (2013-02-01) or an
   * instant with its offset (2013-02-01T10:00:00Z), all UTC; null stays null.
   *
   * @throws java.time.format.DateTimeParseException when it is none of these
   */
  public static Instant time(String s) {
    if (s == null) {
      return null;
    }
    if (s.length() == 7) {
      return java.time.YearMonth.parse(s).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC)
          .toInstant();
    }
    if (s.length() == 10) {
      return java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    }
    return java.time.OffsetDateTime.parse(s).toInstant();
  }
}
