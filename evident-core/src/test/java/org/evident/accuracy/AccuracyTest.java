package org.evident.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.evident.detect.Detector;
import org.evident.detect.RuleFile;
import org.evident.detect.RuleSet;
import org.evident.log.HeaderField;
import org.evident.log.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recall of the built-in rules on the payload lists in ../shared/payloads (driven by its
 * MANIFEST.tsv), each payload placed in a query argument, a path segment and the User-Agent (the
 * issue's placements) and in a cookie (where a log holds the Cookie header), and false positives
 * on real browser user agents. Prints the table BENCHMARKS.md quotes
 * ({@code bench/accuracy.sh}) and asserts floors just under today's figures, so a change that
 * loses detection fails here.
 */
class AccuracyTest {
  static final Path SHARED = Path.of("../../shared");
  static Detector detector;

  /** category → deduplicated payloads. */
  static final Map<String, Set<String>> PAYLOADS = new LinkedHashMap<>();

  static List<RuleFile> builtInFiles() throws IOException {
    return new ArrayList<>(org.evident.detect.RulePackTest.builtIn());
  }

  @BeforeAll
  static void load() throws IOException {
    detector = new Detector(RuleSet.parse(builtInFiles()));
    PAYLOADS.putAll(PayloadLists.read(SHARED.resolve("payloads")));
  }

  static String encode(String s, boolean keepSlash) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int v = x & 0xff;
      if ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9')
          || "-._~".indexOf(v) >= 0 || (keepSlash && v == '/')) {
        b.append((char) v);
      } else {
        b.append('%').append(String.format("%02X", v));
      }
    }
    return b.toString();
  }

  static boolean attack(String target, String agent) {
    return attack(detector, target, agent);
  }

  static boolean attack(Detector d, String target, String agent) {
    Request r = new Request(0, "192.0.2.1", null, "GET", target, "HTTP/1.1", 200, 1, null, agent,
        null);
    return d.judge(r, "site").attack();
  }

  /**
   * Whether a request whose Cookie header holds {@code id=payload}, the payload percent-encoded
   * as in the query (a {@code ;} sent as it is would end the cookie; PHP and most frameworks
   * decode a cookie's value), in a log that holds the header ({@code %{Cookie}i}), is an attack.
   */
  static boolean cookieAttack(Detector d, String payload) {
    Request r = new Request(0, "192.0.2.1", null, "GET", "/", "HTTP/1.1", 200, 1, null,
        "Mozilla/5.0", null, Set.of(),
        List.of(new HeaderField("cookie", "id=" + encode(payload, false))));
    return d.judge(r, "site").attack();
  }

  /**
   * Today's recall floors (fractions) per category and placement: query, path, user agent (the
   * issue's placements); the cookie's is {@link #COOKIE_FLOORS}.
   */
  static final Map<String, double[]> FLOORS = Map.of(
      "sqli", new double[] {0.97, 0.97, 0.97},
      "xss", new double[] {0.97, 0.97, 0.97},
      "traversal", new double[] {0.985, 0.985, 0.975},
      "cmdi", new double[] {0.965, 0.97, 0.98},
      "log4shell", new double[] {0.99, 0.99, 0.99});

  /** Recall floors in a cookie, by class: Evident's rules alone, and with CRS beside them. */
  static final Map<String, double[]> COOKIE_FLOORS = Map.of(
      "sqli", new double[] {0.965, 0.965},
      "xss", new double[] {0.975, 0.98},
      "traversal", new double[] {0.985, 0.99},
      "cmdi", new double[] {0.975, 0.975},
      "log4shell", new double[] {0.99, 0.99});

  /**
   * Recall of one detector per class and placement, printed as the table BENCHMARKS.md quotes,
   * with a sample of differently-shaped misses, and checked against the floors.
   */
  static void recall(Detector d, String title, int withCrs) {
    StringBuilder table = new StringBuilder("| class | payloads | query argument | path segment"
        + " | User-Agent | Cookie |\n|---|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Set<String>> e : PAYLOADS.entrySet()) {
      int n = e.getValue().size();
      int[] hit = new int[4];
      int uaTried = 0;
      List<String> misses = new ArrayList<>();
      for (String p : e.getValue()) {
        boolean q = attack(d, "/search?q=" + encode(p, false), "Mozilla/5.0");
        boolean path = attack(d, "/files/" + encode(p, true), "Mozilla/5.0");
        hit[0] += q ? 1 : 0;
        hit[1] += path ? 1 : 0;
        if (p.indexOf('\n') < 0 && p.indexOf('\r') < 0) {
          uaTried++;
          hit[2] += attack(d, "/", p) ? 1 : 0;
          hit[3] += cookieAttack(d, p) ? 1 : 0;
        }
        boolean missed = Boolean.getBoolean("accuracy.pathMisses") ? !path : !q;
        if (missed && misses.size() < Integer.getInteger("accuracy.misses", 15)
            && (Boolean.getBoolean("accuracy.allMisses") || misses.stream().noneMatch(m ->
                m.regionMatches(0, p, 0, Math.min(8, Math.min(m.length(), p.length())))))) {
          misses.add(p); // a sample of differently-shaped misses
        }
      }
      double[] r = {(double) hit[0] / n, (double) hit[1] / n, (double) hit[2] / uaTried,
          (double) hit[3] / uaTried};
      table.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n",
          e.getKey(), n, r[0] * 100, r[1] * 100, r[2] * 100, r[3] * 100));
      System.out.println(title + " " + e.getKey() + " misses (query), first 15: " + misses);
      double[] floor = FLOORS.get(e.getKey());
      for (int k = 0; k < 3; k++) {
        assertThat(r[k]).as("%s %s placement %d", title, e.getKey(), k)
            .isGreaterThanOrEqualTo(floor[k]);
      }
      assertThat(r[3]).as("%s %s in a cookie", title, e.getKey())
          .isGreaterThanOrEqualTo(COOKIE_FLOORS.get(e.getKey())[withCrs]);
    }
    System.out.println(title + "\n" + table);
  }

  @Test
  void recallPerClassAndPlacement() {
    recall(detector, "ACCURACY-RECALL", 0);
  }

  /**
   * The same measurement with the OWASP CRS (../shared/crs, or {@code -Daccuracy.crs=DIR};
   * paranoia level 1) loaded beside
   * Evident's rules: a benchmark figure, asserted only not to fall below Evident's floors.
   */
  @Test
  void recallWithCrs() throws IOException {
    recall(withCrs(), "ACCURACY-RECALL-WITH-CRS", 1);
  }

  private static Detector withCrs;

  static synchronized Detector withCrs() throws IOException {
    if (withCrs == null) {
      List<RuleFile> files = builtInFiles();
      // another CRS folder, such as Debian's CRS 3.3 (bench/accuracy.sh CRS=DIR)
      String crs = System.getProperty("accuracy.crs", "");
      files.addAll(crs.isEmpty() ? org.evident.detect.CrsRegressionTest.crsFiles()
          : org.evident.detect.CrsRegressionTest.crsFiles(Path.of(crs)));
      // a rule file after CRS, such as `evident tune`'s proposals (bench/accuracy.sh TUNED=FILE)
      String extra = System.getProperty("accuracy.extraRules", "");
      if (!extra.isEmpty()) {
        files.add(new RuleFile(Path.of(extra).getFileName().toString(),
            Files.readString(Path.of(extra))));
      }
      withCrs = new Detector(RuleSet.parse(files));
    }
    return withCrs;
  }

  @Test
  void falsePositivesOnRealBrowserAgents() throws IOException {
    List<String> agents = new ArrayList<>();
    for (String l : Files.readAllLines(
        SHARED.resolve("crs/tests/regression/utils/data/popularUAs.data"))) {
      if (!l.isBlank() && !l.startsWith("#")) {
        agents.add(l.strip());
      }
    }
    for (Detector d : List.of(detector, withCrs())) {
      List<String> flagged = new ArrayList<>();
      for (String ua : agents) {
        if (attack(d, "/", ua)) {
          flagged.add(ua);
        }
      }
      System.out.printf(Locale.ROOT, "ACCURACY-FP user agents (%s): %d of %d flagged (%.2f%%)"
          + " %s%n", d.ruleSet().version(), flagged.size(), agents.size(),
          100.0 * flagged.size() / agents.size(), flagged);
      assertThat(flagged).isEmpty();
    }
  }
}
