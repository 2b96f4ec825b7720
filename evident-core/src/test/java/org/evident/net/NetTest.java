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
  }
}
