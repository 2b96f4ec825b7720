package org.evident.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NetTest {

  @ParameterizedTest
  @CsvSource({"8.8.8.8,PUBLIC", "10.1.2.3,PRIVATE", "192.168.0.1,PRIVATE", "172.31.9.9,PRIVATE",
      "172.32.0.1,PUBLIC", "127.0.0.1,LOOPBACK", "192.0.2.5,DOCUMENTATION",
      "198.51.100.5,DOCUMENTATION", "203.0.113.5,DOCUMENTATION", "100.64.1.1,SHARED",
      "169.254.1.1,LINK_LOCAL", "224.0.0.1,MULTICAST", "0.1.2.3,RESERVED", "::1,LOOPBACK",
      "2001:db8::1,DOCUMENTATION", "fd00::1,PRIVATE", "2a00:1450::1,PUBLIC",
      "::ffff:10.0.0.1,PRIVATE"})
  void scopes(String ip, IpScope scope) {
    assertThat(IpScope.of(IpAddress.parse(ip))).isEqualTo(scope);
  }

  @ParameterizedTest
  @CsvSource({"1.2.3", "1.2.3.256", "example.com", "1.2.3.4.5", "fe80::1%eth0", "''"})
  void nonAddressesAreRejectedWithoutLookups(String text) {
    assertThat(IpAddress.parse(text)).isNull();
  }

  /**
   * One address, one text: the spellings a log may hold of one client are stored and counted as
   * one source (RFC 5952 for IPv6); plain dotted IPv4 comes back as the same instance (nearly
   * every line's, not parsed again), and text that is not an address as it is.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "8.8.8.8|8.8.8.8", "::ffff:8.8.8.8|8.8.8.8", "::FFFF:8.8.8.8|8.8.8.8",
      "008.8.8.8|8.8.8.8", "[2001:db8::1]|2001:db8::1", "2001:DB8:0:0:0:0:0:1|2001:db8::1",
      "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1", "2001:0db8:0000:0001:0:0:0:0|2001:db8:0:1::",
      "2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1", "0:0:0:0:0:0:0:0|::", "::1|::1",
      "2A00:1450:4001:81B::200E|2a00:1450:4001:81b::200e", "fe80::1:0:0:0|fe80::1:0:0:0",
      "unix:|unix:", "crawl-66-249-66-1.googlebot.com|crawl-66-249-66-1.googlebot.com",
      "-|-", "1.2.3.256|1.2.3.256", "1.2.3.4.|1.2.3.4.", "1..2.3|1..2.3"})
  void oneAddressOneText(String logged, String canonical) {
    assertThat(IpAddress.canonical(logged)).isEqualTo(canonical);
    if (canonical.equals(logged) && logged.indexOf(':') < 0 && IpAddress.parse(logged) != null) {
      assertThat(IpAddress.canonical(logged)).isSameAs(logged);
    }
  }

  @Test
  void cidrs() {
    assertThat(Cidr.parse("10.0.0.0/8").contains(IpAddress.parse("10.255.0.1"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/9").contains(IpAddress.parse("10.128.0.1"))).isFalse();
    assertThat(Cidr.parse("2001:db8::/32").contains(IpAddress.parse("2001:db8:1::1"))).isTrue();
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> Cidr.parse("nope")).hasMessageContaining("not an IP");
  }

  @Test
  void forwardedForIsBelievedOnlyFromTrustedProxies() {
    TrustedProxies none = TrustedProxies.NONE;
    assertThat(none.clientOf("10.0.0.1", "8.8.8.8")).isEqualTo("10.0.0.1");
    TrustedProxies lb = new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8")));
    assertThat(lb.clientOf("10.0.0.1", "1.1.1.1, 8.8.8.8, 10.0.0.2")).isEqualTo("8.8.8.8");
    assertThat(lb.clientOf("9.9.9.9", "8.8.8.8")).isEqualTo("9.9.9.9");
    assertThat(lb.clientOf("10.0.0.1", "junk")).isEqualTo("10.0.0.1");
    assertThat(lb.clientOf("::ffff:10.0.0.1", "2001:DB8::7")).isEqualTo("2001:db8::7");
    assertThat(lb.clientOf("::ffff:9.9.9.9", "8.8.8.8")).isEqualTo("9.9.9.9");
    assertThat(none.clientOf("[2001:db8::1]", null)).isEqualTo("2001:db8::1");
    assertThat(none.clientOf("unix:", null)).isEqualTo("unix:");
    // a hop with its port, as Azure's Application Gateway writes it
    assertThat(lb.clientOf("10.0.0.1", "8.8.8.8:51234, 10.0.0.2:443")).isEqualTo("8.8.8.8");
    assertThat(lb.clientOf("10.0.0.1", "[2001:db8::9]:443")).isEqualTo("2001:db8::9");
    assertThat(lb.clientOf("10.0.0.1", "8.8.8.8:x")).isEqualTo("10.0.0.1");
  }
}
