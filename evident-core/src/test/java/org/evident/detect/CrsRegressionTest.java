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
 * with CRS loaded: each test stage whose request fits in a log record (no body) becomes a log
 * line ({@link #format}: a site's log that holds every header the stage sends), is parsed like
 * any log line, judged at
 * paranoia level 4 (as CRS's own test setup runs), and passes when every expected rule fired and
 * no unexpected one did. CRS's scoring rules are Evident's anomaly scoring: 949110 (inbound
 * score exceeded) counts as fired for an attack verdict, 980170 (a request that scored) for any
 * score above zero. The report, per rule file, goes to target/crs-regression.txt; the pass rate
 * must reach 95%.
 */
public class CrsRegressionTest {
  static final Path CRS = Path.of("../../shared/crs");
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

  /**
   * The limits CRS's regression tests are written for (tests/regression/README.md asks for them
   * in crs-setup.conf): off by CRS's default, so 920360, 920370 and 920380 test nothing without
   * them.
   */
  static final RuleFile TEST_SETUP = new RuleFile("crs-test-setup.conf", "SecAction"
      + " \"id:900005,phase:1,nolog,pass,setvar:tx.arg_name_length=100,setvar:tx.arg_length=400,"
      + "setvar:tx.total_arg_length=64000,setvar:tx.max_num_args=255\"");

  /** CRS as the regression tests run it: {@link #TEST_SETUP} first. */
  static RuleSet tested;

  @BeforeAll
  static void load() throws IOException {
    rules = RuleSet.parse(crsFiles());
    List<RuleFile> files = new ArrayList<>(List.of(TEST_SETUP));
    files.addAll(crsFiles());
    tested = RuleSet.parse(files);
    detector = new Detector(tested, Detector.DEFAULT_THRESHOLD, 4);
  }

  @Test
  void crsLoadsAndSaysWhatItSkipped() {
    assertThat(rules.version()).contains("crs 4.28.0");
    assertThat(rules.rules()).hasSizeGreaterThan(150);
    assertThat(rules.skipped()).containsKey("needs what a log does not hold (bodies, files,"
        + " responses, counts)");
    // every detection rule is either compiled or listed with its reason; the untagged rest
    // steer CRS or take rules out for a request
    // Apache's own requests from the loopback address (chained), the XSS rules' skip of a plain
    // path; the sampling section is off at 100%; the JSON body processor is not in a log
    // 920539 takes 920540 out of JSON requests: where the log holds their Content-Type
    assertThat(rules.skipped().get(CrsRules.APPLIED)).containsExactly("905100", "905110",
        "920539", "941010");
    assertThat(rules.skipped()).doesNotContainKey(CrsRules.UNHELD);
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
   * The log the runner writes for a stage that sends no other header: Apache's combined with the
   * Host header as sent, the three headers {@code -} when not sent and {@code ""} when sent
   * empty, as Apache writes them.
   */
  static final String FORMAT =
      "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" \"%{Host}i\"";

  /** The headers {@link #FORMAT} holds. */
  static final Set<String> NAMED = Set.of("host", "user-agent", "referer");

  /**
   * Headers the runner's site logs whether sent or not ({@code -} when not), as a site that
   * logs a request's shape would: CRS's protocol rules test that they were not sent (920300: no
   * Accept; 920180: a POST without Content-Length or Transfer-Encoding).
   */
  static final List<String> ALWAYS = List.of("accept", "content-type", "content-length",
      "transfer-encoding");

  /**
   * The log format of a site that logs the headers a stage sends: {@link #FORMAT} and one
   * quoted {@code %{Name}i} field for each other header, in {@code others}' order.
   */
  static String format(List<String> others) {
    StringBuilder f = new StringBuilder(FORMAT);
    for (String h : others) {
      f.append(" \"%{").append(h).append("}i\"");
    }
    return f.toString();
  }

  /** A request as a line of {@link #format}, escaped as Apache escapes it. */
  static String logLine(String method, String uri, String version, Map<String, String> h) {
    StringBuilder line = new StringBuilder("192.0.2.10 - - [03/Feb/2013:10:00:00 +0000] \"")
        .append(esc(method)).append(' ').append(esc(uri))
        .append(version.isEmpty() ? "" : " " + esc(version)).append("\" 200 100 \"")
        .append(esc(h.getOrDefault("referer", "-"))).append("\" \"")
        .append(esc(h.getOrDefault("user-agent", "-"))).append("\" \"")
        .append(esc(h.getOrDefault("host", "-"))).append('"');
    h.forEach((k, v) -> {
      if (!NAMED.contains(k)) {
        line.append(" \"").append(v == null ? "-" : esc(v)).append('"');
      }
    });
    return line.toString();
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
          outcomes.add(run(group, name, stage));
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
    tested.skipped().forEach((k, v) -> r.append(String.format(Locale.ROOT, "%7d  %s%n", v.size(),
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

  static Outcome run(String group, String name, JsonNode stage) {
    JsonNode in = stage.path("input");
    JsonNode log = stage.path("output").path("log");
    Set<String> expect = ids(log.path("expect_ids"));
    Set<String> noExpect = ids(log.path("no_expect_ids"));
    if (expect.isEmpty() && noExpect.isEmpty()) {
      return new Outcome(group, name, "n/a", "checks only the response or log text");
    }
    if (stage.path("output").path("status").asInt(0) == 400 && expect.isEmpty()) {
      // Apache answers 400 to a malformed request (a header holding a bare CR) before
      // ModSecurity's rules see it: that no rule fired says nothing about them
      return new Outcome(group, name, "n/a", "refused by the server before the rules run");
    }
    if (in.hasNonNull("encoded_request")) {
      return new Outcome(group, name, "n/a", "raw request (encoded_request)");
    }
    if (in.hasNonNull("data") && !in.path("data").asText().isEmpty()) {
      return new Outcome(group, name, "n/a", "request body (a log does not hold it)");
    }
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    var it = in.path("headers").fields();
    while (it.hasNext()) {
      var e = it.next();
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (headers.containsKey(k)) {
        return new Outcome(group, name, "n/a", "a header sent twice (a log field holds one)");
      }
      headers.put(k, e.getValue().asText());
    }
    for (String k : ALWAYS) {
      headers.putIfAbsent(k, null); // logged as not sent
    }
    List<String> others = headers.keySet().stream().filter(k -> !NAMED.contains(k)).toList();
    LineParser parser = LogFormats.byName(format(others)).newParser();
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
    String host = headers.get("host");
    Verdict verdict = detector.judge(req, host == null ? "localhost" : host);
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
