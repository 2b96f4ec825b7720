package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.evident.log.BadLineException;
import org.evident.log.LineParser;
import org.evident.log.LogFormats;
import org.evident.log.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OWASP CRS regression tests (go-ftw format, ../shared/crs/tests) replayed through Evident
 * with CRS loaded: each test stage whose request fits in a log record (no body, no headers a
 * log does not keep) becomes a log line ({@link #FORMAT}), is parsed like any log line, judged at
 * paranoia level 4 (as CRS's own test setup runs), and passes when every expected rule fired and
 * no unexpected one did. CRS's scoring rules are Evident's anomaly scoring: 949110 (inbound
 * score exceeded) counts as fired for an attack verdict, 980170 (a request that scored) for any
 * score above zero. A stage fits in a log record when it has no body and sends no header
 * but Host, User-Agent, Referer (each logged as sent, {@code -} when not sent) and go-ftw's default
 * Accept. The report, per rule file, goes to target/crs-regression.txt; the pass rate must reach
 * 95%.
 */
public class CrsRegressionTest {
  static final Path CRS = Path.of("../../shared/crs");
  /** Headers an access log keeps: the Host, the User-Agent and the Referer. */
  static final Set<String> LOGGED = Set.of("host", "user-agent", "referer");
  /**
   * Accept values go-ftw sends by default: a test that sends one of them is not about Accept,
   * so leaving the header out of the log line changes nothing it checks.
   */
  static final Set<String> DEFAULT_ACCEPT = Set.of("*/*", "text/xml,application/xml,"
      + "application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5");
  /** The issue's bar for the applicable regression tests. */
  static final double FLOOR = 0.95;

  static Detector detector;
  static RuleSet rules;

  public static List<RuleFile> crsFiles() throws IOException {
    return crsFiles(CRS);
  }

  /** The rule and data files of a CRS folder (one holding {@code rules/}). */
  public static List<RuleFile> crsFiles(Path crs) throws IOException {
    List<RuleFile> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(crs.resolve("rules"))) {
      for (Path p : s.filter(x -> x.toString().endsWith(".conf")
          || x.toString().endsWith(".data")).sorted().toList()) {
        out.add(new RuleFile(p.getFileName().toString(), Files.readString(p)));
      }
    }
    return out;
  }

  @BeforeAll
  static void load() throws IOException {
    rules = RuleSet.parse(crsFiles());
    detector = new Detector(rules, Detector.DEFAULT_THRESHOLD, 4);
  }

  @Test
  void crsLoadsAndSaysWhatItSkipped() {
    assertThat(rules.version()).contains("crs 4.28.0");
    assertThat(rules.rules()).hasSizeGreaterThan(150);
    assertThat(rules.skipped()).containsKey("needs what a log does not hold (bodies, cookies,"
        + " other headers, responses)");
    // every detection rule is either compiled or listed with its reason; the untagged rest
    // steer CRS or take rules out for a request
    // Apache's own requests from the loopback address (chained), the XSS rules' skip of a plain
    // path; the sampling section is off at 100%; the JSON body processor is not in a log
    assertThat(rules.skipped().get(CrsRules.APPLIED)).containsExactly("905100", "905110",
        "941010");
    assertThat(rules.skipped().get(CrsRules.UNHELD)).containsExactly("920539");
    // argument limits CRS leaves to crs-setup.conf: off until it sets them, as in ModSecurity
    assertThat(rules.skipped().get("off in this configuration (tx.arg_length)"))
        .containsExactly("920370");
    assertThat(rules.rules()).extracting(Rule::id).contains("920250", "920650");
    assertThat(rules.skipped().get("exclusion (ctl:ruleRemove...), not applied: its section is"
        + " off (tx.sampling_percentage)")).containsExactly("901450");
    long skippedDetection = rules.skipped().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("flow control")
            && !e.getKey().startsWith("exclusion"))
        .mapToLong(e -> e.getValue().size()).sum();
    // ../shared/DATA.md: 345 rules carry a paranoia tag (request and response rules)
    long compiled = rules.rules().stream().map(Rule::id).distinct().count();
    assertThat(compiled + skippedDetection).isEqualTo(345);
  }

  /**
   * Rules of CRS whose regression tests send headers a log does not keep (920250's), or whose
   * first line tests a configuration value: the same requests, as log lines. 920250 is on by
   * CRS 4's default ({@code tx.crs_validate_utf8_encoding=1}) and reads the bytes the escapes
   * spell, once: {@code %25DC} is the text {@code %DC}, no byte; 920650 reads {@code _method}
   * only.
   */
  @ParameterizedTest(name = "{0} {1}: {2} fires: {3}")
  @CsvSource(delimiter = '|', value = {
      "GET|/?param=%c0%af|920250|true",
      "GET|/?param=%c0|920250|true",
      "GET|/?param=%F5%80%BF%BF|920250|true",
      "GET|/?param=%E2%A3|920250|true",
      "GET|/caf%E9|920250|true",
      "GET|/?%E9=1|920250|true",
      "GET|/search?q=%25DCL-MEM-BAD|920250|false",
      "GET|/?q=%C3%A9t%C3%A9|920250|false",
      "GET|/caf%C3%A9|920250|false",
      "POST|/api?_method=DELETE|920650|true",
      "POST|/api?id=1&_METHOD=delete&x=2|920650|true",
      "POST|/api?method=DELETE|920650|false",
      "POST|/api?_method=post|920650|false",
      "GET|/api?_method=PUT&method=GET|920650|true",
      // 930100 reads the raw URI as sent and the arguments decoded once: %00 is text in the one
      "GET|/get?foo=0x2e.%000x2f0x2e.%00/WINDOWS/win.ini|930100|true",
  })
  void rulesOnRequestsTheRegressionTestsSendWithOtherHeaders(String method, String uri,
      String rule, boolean fires) throws BadLineException {
    Request req = LogFormats.byName(FORMAT).newParser().parse(logLine(method, uri,
        "HTTP/1.1", Map.of()));
    assertThat(detector.judge(req, "localhost").ruleIds().contains(rule)).isEqualTo(fires);
  }

  /**
   * The log the runner writes: Apache's combined with the Host header as sent, the three headers
   * {@code -} when not sent and {@code ""} when sent empty, as Apache writes them.
   */
  static final String FORMAT =
      "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" \"%{Host}i\"";

  /** A request as a line of {@link #FORMAT}, escaped as Apache escapes it. */
  static String logLine(String method, String uri, String version, Map<String, String> h) {
    return "192.0.2.10 - - [03/Feb/2013:10:00:00 +0000] \"" + esc(method) + " "
        + esc(uri)
        + (version.isEmpty() ? "" : " " + esc(version)) + "\" 200 100 \""
        + esc(h.getOrDefault("referer", "-")) + "\" \"" + esc(h.getOrDefault("user-agent", "-"))
        + "\" \"" + esc(h.getOrDefault("host", "-")) + "\"";
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c == '"' || c == '\\') {
        b.append('\\').append((char) c);
      } else if (c < 0x20 || c >= 0x7f) {
        b.append(String.format(Locale.ROOT, "\\x%02x", c));
      } else {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  record Outcome(String file, String test, String status, String detail) {}

  @Test
  void regressionTestsPass() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    LineParser parser = LogFormats.byName(FORMAT).newParser();
    List<Outcome> outcomes = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(CRS.resolve("tests/regression/tests"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted().toList();
    }
    for (Path f : files) {
      JsonNode doc = yaml.readTree(f.toFile());
      if (doc == null || doc.isNull() || doc.isMissingNode()) {
        continue; // 920539.yaml is all comments
      }
      String group = f.getParent().getFileName().toString();
      for (JsonNode t : doc.path("tests")) {
        String name = f.getFileName() + "#" + t.path("test_id").asText();
        for (JsonNode stage : t.path("stages")) {
          outcomes.add(run(group, name, stage, parser));
        }
      }
    }
    Map<String, int[]> byFile = new TreeMap<>();
    Map<String, Integer> whyNot = new TreeMap<>();
    for (Outcome o : outcomes) {
      int[] c = byFile.computeIfAbsent(o.file(), k -> new int[3]);
      switch (o.status()) {
        case "pass" -> c[0]++;
        case "fail" -> c[1]++;
        default -> {
          c[2]++;
          whyNot.merge(o.detail(), 1, Integer::sum);
        }
      }
    }
    int pass = byFile.values().stream().mapToInt(c -> c[0]).sum();
    int fail = byFile.values().stream().mapToInt(c -> c[1]).sum();
    int na = byFile.values().stream().mapToInt(c -> c[2]).sum();
    double rate = (double) pass / Math.max(1, pass + fail);
    StringBuilder r = new StringBuilder();
    r.append(String.format(Locale.ROOT, "CRS %s regression tests (go-ftw), %d stages: %d"
        + " applicable to logs, %d passed (%.1f%%), %d failed; %d not applicable%n%n",
        rules.version(), outcomes.size(), pass + fail, pass, 100.0 * rate, fail, na));
    r.append(String.format(Locale.ROOT, "%-48s %6s %6s %6s %7s%n", "rule file", "pass", "fail",
        "n/a", "rate"));
    byFile.forEach((k, c) -> r.append(String.format(Locale.ROOT, "%-48s %6d %6d %6d %7s%n", k,
        c[0], c[1], c[2], c[0] + c[1] == 0 ? "-"
            : String.format(Locale.ROOT, "%.1f%%", 100.0 * c[0] / (c[0] + c[1])))));
    r.append("\nNot applicable, by reason:\n");
    whyNot.forEach((k, v) -> r.append(String.format(Locale.ROOT, "%7d  %s%n", v, k)));
    r.append("\nRules skipped by the loader, by reason:\n");
    rules.skipped().forEach((k, v) -> r.append(String.format(Locale.ROOT, "%7d  %s%n", v.size(),
        k)));
    r.append("\nFailures:\n");
    outcomes.stream().filter(o -> o.status().equals("fail")).forEach(o ->
        r.append("  ").append(o.test()).append(": ").append(o.detail()).append('\n'));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/crs-regression.txt"), r.toString());
    System.out.println(r.substring(0, r.indexOf("\nFailures:")));
    assertThat(pass + fail).isGreaterThan(1000);
    assertThat(rate).as("pass rate (report in target/crs-regression.txt)")
        .isGreaterThanOrEqualTo(FLOOR);
  }

  static Outcome run(String group, String name, JsonNode stage, LineParser parser) {
    JsonNode in = stage.path("input");
    JsonNode log = stage.path("output").path("log");
    Set<String> expect = ids(log.path("expect_ids"));
    Set<String> noExpect = ids(log.path("no_expect_ids"));
    if (expect.isEmpty() && noExpect.isEmpty()) {
      return new Outcome(group, name, "n/a", "checks only the response or log text");
    }
    if (in.hasNonNull("encoded_request")) {
      return new Outcome(group, name, "n/a", "raw request (encoded_request)");
    }
    if (in.hasNonNull("data") && !in.path("data").asText().isEmpty()) {
      return new Outcome(group, name, "n/a", "request body (a log does not hold it)");
    }
    Map<String, String> headers = new TreeMap<>();
    var it = in.path("headers").fields();
    while (it.hasNext()) {
      var e = it.next();
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (k.equals("accept") && DEFAULT_ACCEPT.contains(e.getValue().asText())) {
        continue;
      }
      if (!LOGGED.contains(k)) {
        return new Outcome(group, name, "n/a", "header a log does not hold");
      }
      headers.put(k, e.getValue().asText());
    }
    String method = in.path("method").asText("GET");
    String uri = in.path("uri").asText("/");
    String version = in.has("version") ? in.path("version").asText("") : "HTTP/1.1";
    Request req;
    try {
      req = parser.parse(logLine(method, uri, version, headers));
    } catch (BadLineException e) {
      return new Outcome(group, name, "n/a", "request does not fit a log line");
    }
    if (req == null) {
      return new Outcome(group, name, "n/a", "request does not fit a log line");
    }
    Verdict verdict = detector.judge(req, headers.getOrDefault("host", "localhost"));
    Set<String> fired = new HashSet<>(verdict.ruleIds());
    // CRS's scoring rules, which Evident's anomaly scoring stands for: 949110 fires when the
    // inbound score reaches the threshold (an attack), 980170 reports a request that scored
    if (verdict.attack()) {
      fired.add("949110");
    }
    if (verdict.score() > 0) {
      fired.add("980170");
    }
    List<String> missing = expect.stream().filter(i -> !fired.contains(i)).sorted().toList();
    List<String> unwanted = noExpect.stream().filter(fired::contains).sorted().toList();
    if (missing.isEmpty() && unwanted.isEmpty()) {
      return new Outcome(group, name, "pass", "");
    }
    return new Outcome(group, name, "fail", (missing.isEmpty() ? "" : "did not fire " + missing)
        + (unwanted.isEmpty() ? "" : " fired unexpectedly " + unwanted));
  }

  static Set<String> ids(JsonNode n) {
    Set<String> out = new HashSet<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }
}
