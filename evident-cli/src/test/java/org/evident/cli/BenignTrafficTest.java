package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.evident.detect.Detector;
import org.evident.detect.Verdict;
import org.evident.log.LineParser;
import org.evident.log.LogFormats;
import org.evident.log.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * False positives on benign traffic built from real-world data ({@link BenignCorpus},
 * docs/benign-corpus.md), at paranoia level 1: Evident's rules alone (the bar: at most
 * 0.05% of benign requests), and with the OWASP CRS 4 of ../shared beside them. Writes the corpus
 * to target/benign.log and the report, with every flagged request, to target/benign-fp.txt.
 */
class BenignTrafficTest {
  static final double BAR = 0.0005;
  static final double CRS_CEILING = 0.01;
  static List<BenignCorpus.Entry> corpus;

  @BeforeAll
  static void build() throws IOException {
    Path root = BenignCorpus.defaultRoot();
    if (!BenignCorpus.available(root)) {
      fetch(); // on first use, as the location data is
    }
    assumeTrue(BenignCorpus.available(root), "the benign corpus sources could not be fetched"
        + " (bench/benign-fetch.sh needs npm and apt-get and their registries; .ci/run runs it)");
    corpus = BenignCorpus.build(root, 1);
    List<String> lines = corpus.stream().map(BenignCorpus.Entry::line).toList();
    Files.write(Path.of("target/benign.log"), lines, StandardCharsets.UTF_8);
  }

  private static void fetch() {
    try {
      Process p = new ProcessBuilder("bash", "../bench/benign-fetch.sh").inheritIO().start();
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // no bash: the assumption below reports it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void theCorpusIsLargeAndVaried() {
    Map<String, Long> per = new LinkedHashMap<>();
    corpus.forEach(e -> per.merge(e.category(), 1L, Long::sum));
    per.remove(BenignCorpus.SCANNERS);
    assertThat(corpus).hasSizeGreaterThan(45_000);
    assertThat(per).hasSizeGreaterThanOrEqualTo(10).allSatisfy((k, v) -> assertThat(v)
        .as(k).isGreaterThan(400));
    String all = String.join("\n", corpus.stream().map(BenignCorpus.Entry::line).toList());
    // what the issue names: quotes, apostrophes, SQL-like words, Unicode, JSON, base64, tracking
    assertThat(all).contains("%27", "%22", "+select+", "%7B%22", "utm_campaign=", "gclid=",
        "%C3%A9", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
  }

  @Test
  void falsePositivesStayUnderTheBar() throws IOException {
    Map<String, long[]> evident = judge(RuleSources.load(List.of("evident")), "evident");
    Map<String, long[]> both = judge(RuleSources.load(List.of("evident", CrsRulesTest.CRS4)),
        "evident+crs");
    long[] scanners = both.remove(BenignCorpus.SCANNERS);
    evident.remove(BenignCorpus.SCANNERS);
    long total = both.values().stream().mapToLong(v -> v[0]).sum();
    long fpEvident = evident.values().stream().mapToLong(v -> v[1]).sum();
    long fpBoth = both.values().stream().mapToLong(v -> v[1]).sum();
    StringBuilder table = new StringBuilder();
    table.append("BENIGN sources: ").append(BenignCorpus.sources(BenignCorpus.defaultRoot()))
        .append('\n');
    table.append("| traffic | requests | flagged, Evident | flagged, Evident + CRS 4.28.0 |\n")
        .append("|---|---:|---:|---:|\n");
    for (String k : both.keySet()) {
      table.append(row(k, both.get(k)[0], evident.get(k)[1], both.get(k)[1]));
    }
    table.append(row("**all benign**", total, fpEvident, fpBoth));
    table.append(String.format(Locale.ROOT, "%nSecurity scanners in the crawler list (set apart,"
        + " not benign): %d of %d flagged with CRS.%n", scanners[1], scanners[0]));
    String report = table + "\n" + String.join("\n", flagged);
    Files.writeString(Path.of("target/benign-fp.txt"), report);
    System.out.println(report);
    // the bar, met by Evident's rules (the default); CRS's own paranoia-level-1 rules
    // flag far more of this traffic (commands and functions named in searches, .xhtml paths):
    // a ceiling that catches regressions, not the bar (BENCHMARKS.md, docs/benign-corpus.md)
    assertThat((double) fpEvident / total).as(report).isLessThanOrEqualTo(BAR);
    assertThat((double) fpBoth / total).as(report).isLessThanOrEqualTo(CRS_CEILING);
    assertThat(fpEvident).isLessThanOrEqualTo(fpBoth);
  }

  private static String row(String k, long n, long a, long b) {
    return String.format(Locale.ROOT, "| %s | %,d | %,d (%.3f%%) | %,d (%.3f%%) |%n", k, n, a,
        100.0 * a / n, b, 100.0 * b / n);
  }

  private static final List<String> flagged = new ArrayList<>();

  private static Map<String, long[]> judge(org.evident.detect.RuleSet rules, String label) {
    Detector d = new Detector(rules, Detector.DEFAULT_THRESHOLD, 1);
    LineParser p = LogFormats.byName("combined").newParser();
    Map<String, long[]> per = new LinkedHashMap<>();
    for (BenignCorpus.Entry e : corpus) {
      long[] c = per.computeIfAbsent(e.category(), k -> new long[2]);
      c[0]++;
      Request r;
      try {
        r = p.parse(e.line());
      } catch (Exception x) {
        throw new AssertionError("corpus line does not parse: " + e.line(), x);
      }
      Verdict v = d.judge(r, "shop.example");
      if (v.attack()) {
        c[1]++;
        if (e.category().equals(BenignCorpus.SCANNERS)) {
          continue;
        }
        flagged.add(label + " | " + e.category() + " | " + v.ruleIds() + " | "
            + (v.matches().isEmpty() ? "" : v.matches().get(0).fragment()) + " | " + e.line());
      }
    }
    return per;
  }
}
