package org.evident.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServedSitesTest {

  @ParameterizedTest(name = "{0} serves {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "shop.example|shop.example|true",
      "SHOP.example|shop.example|true",
      "shop.example|www.shop.example|false",
      "*.shop.example|www.shop.example|true",
      "*.shop.example|a.b.shop.example|true",
      "*.shop.example|shop.example|false",
      "*.shop.example|evilshop.example|false",
      "shop.example,*.shop.example|shop.example|true",
      "shop.example|203.0.113.5|false",
      "shop.example|localhost|false",
      "''|203.0.113.5|true"})
  void servesTheNamesListedAndThoseBelowAStar(String list, String site, boolean served) {
    ServedSites s = ServedSites.parse(list.isEmpty() ? List.of() : List.of(list.split(",")));
    assertThat(s.serves(site)).isEqualTo(served);
    assertThat(SiteNames.of(site + ":443", "log.example", s))
        .isEqualTo(served ? site : "log.example");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "*.", "shop.example/x", "a b", "shop.example:443", "*", "**.a"})
  void refusesWhatIsNoHostName(String entry) {
    assertThatThrownBy(() -> ServedSites.parse(List.of(entry)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is no host name");
  }
}
