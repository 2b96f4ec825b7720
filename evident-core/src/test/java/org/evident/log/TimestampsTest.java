package org.evident.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

  /** Every month, both signs of offset, and the stamp read in place inside a longer line. */
  @ParameterizedTest
  @ValueSource(strings = {"01/Jan/2013:00:00:00 +0000", "28/Feb/2013:23:59:59 -0800",
      "29/Feb/2012:12:00:00 +0530", "31/Mar/1999:08:30:00 +0100", "30/Apr/2038:01:02:03 -0000",
      "15/May/2020:10:20:30 +1400", "01/Jun/2021:00:00:01 -1200", "04/Jul/1976:16:00:00 -0500",
      "31/Aug/2013:13:13:13 +0200", "09/Sep/2009:09:09:09 +0900", "10/Oct/2000:13:55:36 -0700",
      "26/Nov/2026:04:10:00 +0000", "31/Dec/1969:23:59:59 +0000"})
  void readsTheCommonLogFormatsStamp(String stamp) throws BadLineException {
    long expected = OffsetDateTime.parse(stamp, CLF).toInstant().toEpochMilli();
    assertThat(Timestamps.clf(stamp)).isEqualTo(expected);
    String line = "1.2.3.4 - - [" + stamp + "] \"GET / HTTP/1.1\"";
    int from = line.indexOf('[') + 1;
    assertThat(Timestamps.clf(line, from, line.indexOf(']'))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10/Oct/2000:13:55:36.250 -0700 | 971211336250",
      "10/Oct/2000:13:55:36.5 +0000   | 971186136500",
      "10/Oct/2000:13:55:36           | 971186136000",
  })
  void readsAFractionAndAMissingOffset(String stamp, long expected) throws BadLineException {
    assertThat(Timestamps.clf(stamp)).isEqualTo(expected);
  }

  /** ISO 8601 as loggers write it; each line is 2013-02-10T04:30:00Z, give or take a fraction. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2013-02-10T10:00:00+05:30           | 1360470600000",
      "2013-02-10T10:00:00.123+0530        | 1360470600123",
      "2013-02-10T10:00:00+0530            | 1360470600000",
      "2013-02-10T08:30:00+04              | 1360470600000",
      "2013-02-10T04:30:00Z                | 1360470600000",
      "2013-02-10T04:30:00.123456789Z      | 1360470600123",
      "2013-02-10 04:30:00                 | 1360470600000",
      "2013-02-10 10:00:00+05:30           | 1360470600000",
      "2013-02-10T04:30:00                 | 1360470600000",
      "2013-02-09T23:00:00-0530            | 1360470600000",
      "2013-02-09T23:00:00.5-05:30         | 1360470600500"})
  void readsIso8601AsLoggersWriteIt(String stamp, long expected) throws BadLineException {
    assertThat(Timestamps.iso(stamp)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2013-02-10", "2013-02-10T25:00:00Z", "2013-02-10T10:00:00+5",
      "2013-02-10T10:00:00+053", "2013-13-10T10:00:00Z", "10:00:00", "", "-", "yesterday"})
  void refusesWhatIsNoIsoStamp(String stamp) {
    assertThatThrownBy(() -> Timestamps.iso(stamp)).isInstanceOf(BadLineException.class)
        .extracting(e -> ((BadLineException) e).reason()).isEqualTo("bad-time");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10/oct/2000:13:55:36 -0700", "10/Okt/2000:13:55:36 -0700",
      "10/O\u0100t/2000:13:55:36 -0700", "10/Oc/2000:13:55:36 -0700", "1O/Oct/2000:13:55:36 +0000",
      "32/Oct/2000:13:55:36 +0000", "10/Oct/2000:24:00:00 +0000", "10/Oct/2000 13:55:36 +0000",
      "10/Oct/2000:13:55:36 0700", "10/Oct/2000:13:55:36 +07", "", "-"})
  void refusesWhatIsNoStamp(String stamp) {
    assertThatThrownBy(() -> Timestamps.clf(stamp)).isInstanceOf(BadLineException.class)
        .extracting(e -> ((BadLineException) e).reason()).isEqualTo("bad-time");
  }
}
