package org.evident.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The bounds of --since and --until as people type them; what has no offset is UTC. */
class EventFilterTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2013-02                   | 2013-02-01T00:00:00Z",
      "2013-02-10                | 2013-02-10T00:00:00Z",
      "2013-02-10T10:00          | 2013-02-10T10:00:00Z",
      "2013-02-10T10:00:30       | 2013-02-10T10:00:30Z",
      "2013-02-10 10:00          | 2013-02-10T10:00:00Z",
      "2013-02-10T10:00:00Z      | 2013-02-10T10:00:00Z",
      "2013-02-10T10:00Z         | 2013-02-10T10:00:00Z",
      "2013-02-10T11:00+01:00    | 2013-02-10T10:00:00Z",
      "2013-02-10T10:00:00.5Z    | 2013-02-10T10:00:00.500Z"})
  void readsATimeAsPeopleWriteIt(String text, String instant) {
    assertThat(EventFilter.time(text)).isEqualTo(Instant.parse(instant));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2013-13", "2013-02-30", "20130210", "2013-02-10T25:00", "yesterday",
      "2013-02-10T10", "10:00"})
  void refusesWhatIsNoTime(String text) {
    assertThatThrownBy(() -> EventFilter.time(text)).isInstanceOf(DateTimeParseException.class);
  }
}
