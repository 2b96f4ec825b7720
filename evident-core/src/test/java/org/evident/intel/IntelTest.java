package org.evident.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IntelTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[ipv4-addr:value = '198.51.100.0/24']|ipv4-addr:value=198.51.100.0/24|true",
      "[ipv6-addr:value = '2001:db8::/32']|ipv6-addr:value=2001:db8::/32|true",
      "[domain-name:value = 'evil.example' OR url:value = 'http://x/a']|domain-name:value=evil.example,url:value=http://x/a|true",
      "[ipv4-addr:value = '1.2.3.4'] OR [ipv4-addr:value = '5.6.7.8']|ipv4-addr:value=1.2.3.4,ipv4-addr:value=5.6.7.8|true",
      "[file:hashes.md5 = 'abc']|file:hashes.md5=abc|false",
      "[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '5.6.7.8']|ipv4-addr:value=1.2.3.4,ipv4-addr:value=5.6.7.8|false",
      "[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS|ipv4-addr:value=1.2.3.4|false",
      "[ipv4-addr:value ISSUBSET '10.0.0.0/8']|ipv4-addr:value=10.0.0.0/8|false",
      "[url:value = 'http://x/it\\'s']|url:value=http://x/it's|true"})
  void patternsWebLogsCanMatch(String pattern, String comparisons, boolean matchable) {
    StixPattern.Parsed p = StixPattern.parse(pattern);
    assertThat(String.join(",", p.comparisons().stream()
        .map(c -> c.path() + "=" + c.value()).toList())).isEqualTo(comparisons);
    assertThat(p.matchable()).isEqualTo(matchable);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ipv4-addr:value = '1.2.3.4'|expected '['",
      "[ipv4-addr:value = '1.2.3.4'|expected ']'",
      "[ipv4-addr:value = 1.2.3.4]|expected a quoted string",
      "[ipv4-addr:value = '1.2.3.4]|unterminated string",
      "[value = '1.2.3.4']|expected an object path",
      "[ipv4-addr:value = '1.2.3.4'] XOR [x:y = 'z']|expected OR, AND or the end"})
  void malformedPatternsSayWhatIsWrong(String pattern, String message) {
    assertThatThrownBy(() -> StixPattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void theApt1ReportNamesItsActors() throws Exception {
    IntelImport.Result r = IntelImport.stix(new ObjectMapper().readTree(
        Path.of("../../shared/stix2-schemas/examples/threat-reports/apt1.json").toFile()));
    assertThat(r.errors()).isEmpty();
    Map<String, String> byValue = new TreeMap<>();
    r.entries().forEach(e -> byValue.put(e.value(), e.kind() + " " + e.actor()));
    assertThat(byValue).containsEntry("223.166.0.0/15", "network APT1")
        .containsEntry("58.246.0.0/15", "network APT1")
        .containsEntry("hugesoft.org", "domain Ugly Gorilla").hasSize(7);
    assertThat(r.skipped().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
  }

  @Test
  void malformedIndicatorsAreNamed() throws Exception {
    String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
        + "{\"type\":\"indicator\",\"id\":\"indicator--a\",\"pattern\":\"[ipv4-addr:value = 'x.y']\"},"
        + "{\"type\":\"indicator\",\"id\":\"indicator--b\",\"pattern\":\"[ipv4-addr:value\"},"
        + "{\"type\":\"indicator\",\"id\":\"indicator--c\",\"name\":\"c2\","
        + "\"pattern\":\"[ipv4-addr:value = '192.0.2.1']\"}]}";
    IntelImport.Result r = IntelImport.stix(new ObjectMapper().readTree(bundle));
    assertThat(r.errors()).hasSize(2);
    assertThat(r.errors().get(0)).contains("indicator--a", "not an IP address or CIDR");
    assertThat(r.errors().get(1)).contains("indicator--b", "malformed pattern");
    assertThat(r.entries()).containsExactly(
        new IntelEntry("network", "192.0.2.1/32", "c2", "indicator--c"));
  }

  @Test
  void plainListsNameTheirBadLines() {
    IntelImport.Result r = IntelImport.list("# crew\n198.51.100.0/24\n\n2001:db8::1 # one\n"
        + "10.0.0.0/33\nhost.example\n", "crew");
    assertThat(r.entries()).extracting(IntelEntry::value)
        .containsExactly("198.51.100.0/24", "2001:db8::1/128");
    assertThat(r.errors()).containsExactly(
        "line 5: '10.0.0.0/33' is not an IP address or CIDR",
        "line 6: 'host.example' is not an IP address or CIDR");
  }

  @Test
  void matcherTagsBySourceAndReferer() {
    IntelMatcher m = new IntelMatcher(List.of(
        new IntelEntry("network", "198.51.100.0/24", "crew", null),
        new IntelEntry("network", "198.51.100.7/32", "APT1", null),
        new IntelEntry("domain", "evil.example", "Ugly Gorilla", null),
        new IntelEntry("url", "http://x.example/a", "url-actor", null)));
    assertThat(m.actors("198.51.100.7", null)).isEqualTo("APT1, crew");
    assertThat(m.actors("198.51.101.7", "https://cdn.evil.example/x")).isEqualTo("Ugly Gorilla");
    assertThat(m.actors("203.0.113.1", "https://notevil.example/")).isNull();
    assertThat(m.actors("203.0.113.1", "http://x.example/a")).isEqualTo("url-actor");
    assertThat(m.actors("not an ip", null)).isNull();
  }
}
