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

  /**
   * {@code evident tune} run on one half of the corpus (drawn at random with a fixed seed: the
   * corpus interleaves its kinds of traffic, so every other line would not do), its proposals judged
   * on the other half: what a site that tunes CRS on last month's log gets this month. Writes
   * target/benign-tuned.txt (the figures and the proposed rule file).
   */
  @Test
  void crsTunedOnOneHalfFlagsFarLessOfTheOther() throws IOException {
    List<String> train = new ArrayList<>();
    List<BenignCorpus.Entry> held = new ArrayList<>();
    java.util.Random coin = new java.util.Random(2026);
    for (BenignCorpus.Entry e : corpus) {
      if (coin.nextBoolean()) {
        train.add(e.line());
      } else {
        held.add(e);
      }
    }
    Path trainLog = Path.of("target/benign-train.log");
    Path tuned = Path.of("target/benign-tuned.yaml");
    Files.write(trainLog, train, StandardCharsets.UTF_8);
    Cli.Result t = Cli.run("tune", "--rules", "evident," + CrsRulesTest.CRS4,
        trainLog.toString(), "-o", tuned.toString());
    assertThat(t.code()).as(t.err()).isZero();
    String proposed = Files.readString(tuned);
    // CRS only, its docs search box free text: Evident's own rules carry no CRS tag, judge the
    // fields CRS is excused in, and none of them is tripped in one argument by five clean
    // sources here
    assertThat(proposed).contains("- tag: 'OWASP_CRS'\n    path: '^/[0-9]+/search\\.html$'")
        .contains("  # free text: every CRS rule (OWASP_CRS); the other packs' rules judge it")
        .doesNotContain("rule: 'EV-");

    long[] evident = judgeHalf(held, RuleSources.load(List.of("evident")));
    long[] crs = judgeHalf(held, RuleSources.load(List.of("evident", CrsRulesTest.CRS4)));
    long[] tunedCrs = judgeHalf(held, RuleSources.load(List.of("evident", CrsRulesTest.CRS4,
        tuned.toString())));
    String report = String.format(Locale.ROOT, "BENIGN-TUNED held-out half: %,d benign"
        + " requests; flagged: Evident %,d (%.3f%%), Evident + CRS %,d (%.3f%%), Evident + CRS"
        + " tuned on the other half %,d (%.3f%%); scanners flagged %d/%d/%d of %d%n", evident[0],
        evident[1], 100.0 * evident[1] / evident[0], crs[1], 100.0 * crs[1] / crs[0],
        tunedCrs[1], 100.0 * tunedCrs[1] / tunedCrs[0], evident[3], crs[3], tunedCrs[3],
        evident[2]);
    // the same at paranoia level 2, where CRS flags a fifth of this traffic
    Path tuned2 = Path.of("target/benign-tuned-pl2.yaml");
    Cli.Result t2 = Cli.run("tune", "--paranoia", "2", "--rules", "evident,"
        + CrsRulesTest.CRS4, trainLog.toString(), "-o", tuned2.toString());
    assertThat(t2.code()).as(t2.err()).isZero();
    long[] crs2 = judgeHalf(held, RuleSources.load(List.of("evident", CrsRulesTest.CRS4)), 2);
    long[] tunedCrs2 = judgeHalf(held, RuleSources.load(List.of("evident", CrsRulesTest.CRS4,
        tuned2.toString())), 2);
    report += String.format(Locale.ROOT, "BENIGN-TUNED paranoia 2, same halves: Evident + CRS"
        + " %,d (%.3f%%), tuned on the other half %,d (%.3f%%); scanners flagged %d/%d of %d%n",
        crs2[1], 100.0 * crs2[1] / crs2[0], tunedCrs2[1], 100.0 * tunedCrs2[1] / tunedCrs2[0],
        crs2[3], tunedCrs2[3], crs2[2]);
    Files.writeString(Path.of("target/benign-tuned.txt"), report + "\n" + proposed);
    System.out.println(report);
    // today 178 -> 5 of 32,560 (19 of 24,553 before free-text entries); Evident's own false
    // positives stay, no scanner is excused
    assertThat(tunedCrs[1]).as(report).isLessThan(crs[1] / 10)
        .isGreaterThanOrEqualTo(evident[1]);
    assertThat(tunedCrs[3]).as(report).isEqualTo(tunedCrs[2]);
    // today 8,839 -> 231; 4,405 before entries for the Referer: at paranoia level 2 CRS's
    // 932239 and 942200 read it whole, and trip on a search's URL sent with every click on a
    // result (...&check_keywords=yes&...)
    assertThat(tunedCrs2[1]).as(report).isLessThan(crs2[1] / 10);
    assertThat(Files.readString(tuned2)).as(report).contains("    header: 'Referer'\n");
    assertThat(tunedCrs2[3]).as(report).isEqualTo(tunedCrs2[2]);
  }

  /** Benign requests and those flagged, then scanners and those flagged. */
  private static long[] judgeHalf(List<BenignCorpus.Entry> half,
      org.evident.detect.RuleSet rules) {
    return judgeHalf(half, rules, 1);
  }

  private static long[] judgeHalf(List<BenignCorpus.Entry> half,
      org.evident.detect.RuleSet rules, int paranoia) {
    Detector d = new Detector(rules, Detector.DEFAULT_THRESHOLD, paranoia);
    LineParser p = LogFormats.byName("combined").newParser();
    long[] c = new long[4];
    for (BenignCorpus.Entry e : half) {
      int k = e.category().equals(BenignCorpus.SCANNERS) ? 2 : 0;
      c[k]++;
      try {
        c[k + 1] += d.judge(p.parse(e.line()), "shop.example").attack() ? 1 : 0;
      } catch (Exception x) {
        throw new AssertionError("corpus line does not parse: " + e.line(), x);
      }
    }
    return c;
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
