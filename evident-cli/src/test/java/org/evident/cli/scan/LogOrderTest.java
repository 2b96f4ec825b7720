package org.evident.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.evident.cli.source.LogSource;
import org.evident.cli.source.SourceMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogOrderTest {
  static Stream<Arguments> families() {
    return Stream.of(
        Arguments.of("/var/log/nginx/access.log", "/var/log/nginx/access.log"),
        Arguments.of("/var/log/nginx/access.log.1", "/var/log/nginx/access.log"),
        Arguments.of("/var/log/nginx/access.log.2.gz", "/var/log/nginx/access.log"),
        Arguments.of("/var/log/nginx/access.log.14.gz", "/var/log/nginx/access.log"),
        Arguments.of("/var/log/apache2/access.log-20130201.gz", "/var/log/apache2/access.log"),
        Arguments.of("/var/log/apache2/access.log-2013020112", "/var/log/apache2/access.log"),
        Arguments.of("logs/shop.example-access.log.2013-02-01", "logs/shop.example-access.log"),
        Arguments.of("access.log.gz", "access.log"),
        Arguments.of("/var/log/nginx/access.log.3.xz", "/var/log/nginx/access.log"),
        Arguments.of("access.log-20130201.zst", "access.log"),
        Arguments.of("access.log.4.bz2", "access.log"),
        Arguments.of("shop.example-access.log", "shop.example-access.log"),
        // a number that is the name, not a rotation's
        Arguments.of("logs/2013.log", "logs/2013.log"),
        Arguments.of("C:/inetpub/logs/LogFiles/W3SVC1/u_ex130201.log",
            "C:/inetpub/logs/LogFiles/W3SVC1/u_ex.log"),
        Arguments.of("W3SVC1/u_ex1302011.log", "W3SVC1/u_ex1302011.log"),
        Arguments.of("W3SVC1/u_ex13020112.log", "W3SVC1/u_ex.log"),
        Arguments.of("W3SVC1/ex130201.log.gz", "W3SVC1/ex.log"),
        Arguments.of("W3SVC1/nc130201.log", "W3SVC1/nc.log"),
        Arguments.of("index130201.log", "index130201.log"),
        Arguments.of("-", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void aRotatedFileIsOfItsLogsFamily(String name, String family) {
    assertThat(LogOrder.family(name)).isEqualTo(family);
  }

  @Test
  void eachFamilyIsReadOldestFirstWhereItsFirstFileWas() {
    Instant t = Instant.parse("2013-02-02T00:00:00Z");
    LogSource live = source("logs/access.log", t);
    LogSource first = source("logs/access.log.1", t.minusSeconds(86_400));
    LogSource second = source("logs/access.log.2.gz", t.minusSeconds(2 * 86_400));
    LogSource other = source("logs/error.log", t.minusSeconds(5 * 86_400));
    LogSource stdin = source("-", null);
    LogSource unknownAge = source("logs/access.log.3.gz", null);
    assertThat(LogOrder.inLogOrder(List.of(live, other, first, stdin, unknownAge, second)))
        .containsExactly(second, first, live, unknownAge, other, stdin);
  }

  private static LogSource source(String name, Instant modified) {
    return new LogSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean remembered() {
        return !name.equals("-");
      }

      @Override
      public long size() {
        return 0;
      }

      @Override
      public Instant modified() {
        return modified;
      }

      @Override
      public String fingerprint(long n) {
        return "";
      }

      @Override
      public InputStream open(long offset) {
        return InputStream.nullInputStream();
      }

      @Override
      public SourceMetrics metrics() {
        return new SourceMetrics();
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
