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
   * A bound of a time range as people write it: a month (2013-02), a day (2013-02-01), or a
   * time of day with or without seconds, with a T or a space, with an offset (2013-02-01T10:00Z,
   * 2013-02-01T11:00:00+01:00) or without one, which is UTC, as every time Evident shows is;
   * null stays null.
   *
   * @throws java.time.format.DateTimeParseException when it is none of these
   */
  public static Instant time(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    if (t.length() == 7) {
      return java.time.YearMonth.parse(t).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC)
          .toInstant();
    }
    if (t.length() == 10) {
      return java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    }
    if (t.length() > 10 && t.charAt(10) == ' ') {
      t = t.substring(0, 10) + 'T' + t.substring(11);
    }
    try {
      return java.time.OffsetDateTime.parse(t).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return java.time.LocalDateTime.parse(t).toInstant(java.time.ZoneOffset.UTC);
    }
  }
}
