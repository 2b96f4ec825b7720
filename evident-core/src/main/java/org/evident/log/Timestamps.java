package org.evident.log;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Time stamps as logs write them, turned into UTC epoch milliseconds. The common log format stamp
 * is parsed by hand: it is on every line and {@code DateTimeFormatter} would dominate the cost.
 */
final class Timestamps {
  private Timestamps() {}

  /** Parses {@code 10/Oct/2000:13:55:36 -0700} (the brackets already removed). */
  static long clf(String s) throws BadLineException {
    if (s == null) {
      throw new BadLineException("bad-time");
    }
    return clf(s, 0, s.length());
  }

  /** The same, for the text {@code s[from, to)}: read in place, it is on every line. */
  static long clf(String s, int from, int to) throws BadLineException {
    int len = to - from;
    if (len < 20 || s.charAt(from + 2) != '/' || s.charAt(from + 6) != '/'
        || s.charAt(from + 11) != ':') {
      throw new BadLineException("bad-time");
    }
    int day = digits(s, from, 2);
    int month = month(s.charAt(from + 3), s.charAt(from + 4), s.charAt(from + 5));
    if (month < 0) {
      throw new BadLineException("bad-time");
    }
    int year = digits(s, from + 7, 4);
    int hour = digits(s, from + 12, 2);
    int minute = digits(s, from + 15, 2);
    int second = digits(s, from + 18, 2);
    int offsetSeconds = 0;
    int p = from + 20;
    // optional fraction: Apache's %{%d/%b/%Y:%T}t.%{msec_frac}t style
    int millis = 0;
    if (p < to && s.charAt(p) == '.') {
      int q = p + 1;
      int scale = 100;
      while (q < to && Character.isDigit(s.charAt(q))) {
        if (scale > 0) {
          millis += (s.charAt(q) - '0') * scale;
          scale /= 10;
        }
        q++;
      }
      p = q;
    }
    if (p < to) {
      if (s.charAt(p) != ' ' || to < p + 6) {
        throw new BadLineException("bad-time");
      }
      char sign = s.charAt(p + 1);
      if (sign != '+' && sign != '-') {
        throw new BadLineException("bad-time");
      }
      int oh = digits(s, p + 2, 2);
      int om = digits(s, p + 4, 2);
      offsetSeconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
    }
    if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
      throw new BadLineException("bad-time");
    }
    long days = daysFromCivil(year, month, day);
    return ((days * 86400L + hour * 3600L + minute * 60L + second) - offsetSeconds) * 1000L
        + millis;
  }

  /**
   * Parses ISO 8601 as loggers write it: nginx's {@code $time_iso8601} and ECS
   * ({@code 2013-02-10T10:00:00+05:30}, {@code ...Z}), the basic offsets that Go, Java and
   * syslog-style loggers write ({@code +0530}, {@code +05}), a space for the {@code T}, any
   * fraction; a stamp without an offset is UTC, as ALB and W3C logs write it.
   */
  static long iso(String s) throws BadLineException {
    if (s == null) {
      throw new BadLineException("bad-time");
    }
    String t = s.strip();
    if (t.length() > 10 && t.charAt(10) == ' ') {
      t = t.substring(0, 10) + 'T' + t.substring(11);
    }
    t = extendedOffset(t);
    try {
      return OffsetDateTime.parse(t).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDateTime.parse(t).toInstant(java.time.ZoneOffset.UTC)
            .toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new BadLineException("bad-time");
      }
    }
  }

  /**
   * {@code ...+0530} and {@code ...+05} as {@code ...+05:30} and {@code ...+05:00}, the only
   * offsets {@code OffsetDateTime} reads; anything else as it is. Only after the time of day:
   * the date's own hyphens are no offset.
   */
  private static String extendedOffset(String t) {
    int n = t.length();
    int sign = Math.max(t.lastIndexOf('+'), t.lastIndexOf('-'));
    if (sign < 19 || t.indexOf('T') < 0 || sign < t.indexOf('T')) {
      return t;
    }
    String digits = t.substring(sign + 1);
    if (digits.length() == 4 && allDigits(digits)) {
      return t.substring(0, sign + 3) + ':' + t.substring(sign + 3, n);
    }
    if (digits.length() == 2 && allDigits(digits)) {
      return t + ":00";
    }
    return t;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Parses seconds since the epoch, with an optional fraction ({@code 1360000000.123}). */
  static long epoch(String s, long unitsPerSecond) throws BadLineException {
    try {
      if (unitsPerSecond == 1) {
        return Math.round(Double.parseDouble(s) * 1000.0);
      }
      long v = Long.parseLong(s);
      return unitsPerSecond == 1000 ? v : v / (unitsPerSecond / 1000);
    } catch (NumberFormatException e) {
      throw new BadLineException("bad-time");
    }
  }

  /** The English month names as the common log format writes them, each as one number. */
  private static final int[] MONTH_KEYS = new int[12];

  static {
    String names = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int m = 0; m < 12; m++) {
      MONTH_KEYS[m] = key(names.charAt(3 * m), names.charAt(3 * m + 1), names.charAt(3 * m + 2));
    }
  }

  /**
   * The month (1 to 12) an English three-letter name gives, or -1. The name is read as one
   * number and compared with twelve, not compared with each name in turn, a character at a time
   * (November's was the eleventh, on every line).
   */
  private static int month(char a, char b, char c) {
    if ((a | b | c) >= 128) {
      return -1;
    }
    int key = key(a, b, c);
    for (int m = 0; m < 12; m++) {
      if (MONTH_KEYS[m] == key) {
        return m + 1;
      }
    }
    return -1;
  }

  /** Three ASCII characters as one number. */
  private static int key(char a, char b, char c) {
    return a << 16 | b << 8 | c;
  }

  private static int digits(String s, int from, int n) throws BadLineException {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new BadLineException("bad-time");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
  static long daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }
}
