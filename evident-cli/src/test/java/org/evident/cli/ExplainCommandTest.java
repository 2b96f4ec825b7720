package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  @TempDir
  Path dir;

  static final String LOG = "192.0.2.1 - - [01/Feb/2013:00:00:00 +0000] \"GET"
      + " /p?id=1%27%20or%20%271%27=%271 HTTP/1.1\" 200 1 \"-\" \"sqlmap/1.7\"\n"
      + "192.0.2.2 - - [01/Feb/2013:00:00:01 +0000] \"GET /search?q=O%27Brien HTTP/1.1\" 200 1"
      + " \"-\" \"Mozilla/5.0\"\n"
      + "garbage\n"
      + "192.0.2.3 - - [01/Feb/2013:00:00:02 +0000] \"GET /p?id=1%1b%5b31m HTTP/1.1\" 200 1"
      + " \"-\" \"\\x1b[2Jnikto\"\n";

  @Test
  void jsonlGivesOneObjectPerLineWithEveryMatch() throws Exception {
    Path f = dir.resolve("a.log");
    Files.writeString(f, LOG);
    Cli.Result r = Cli.run("explain", "--format", "jsonl", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines).hasSize(4);
    ObjectMapper m = new ObjectMapper();
    JsonNode first = m.readTree(lines[0]);
    assertThat(first.get("line").asInt()).isEqualTo(1);
    assertThat(first.get("attack").asBoolean()).isTrue();
    assertThat(first.get("class").asText()).isEqualTo("sqli");
    assertThat(first.get("tool").asText()).isEqualTo("sqlmap");
    JsonNode match = first.get("matches").get(0);
    assertThat(match.get("rule").asText()).startsWith("EV-");
    assertThat(match.get("transformations").get(0).asText()).isEqualTo("urlDecodeUni");
    assertThat(match.get("fragment").asText()).contains("or");
    assertThat(m.readTree(lines[1]).get("matches")).isEmpty();
    assertThat(m.readTree(lines[2]).get("skipped").asText()).isEqualTo("unparseable");
    assertThat(m.readTree(lines[3]).get("line").asInt()).isEqualTo(4);
  }

  /**
   * A match an allow entry dropped is shown with the entry that dropped it, so that whoever
   * reviews tune's entries sees what each one clears; it scores nothing.
   */
  /**
   * explain and tune take --sites as scan does: a request for a host outside the log's sites
   * is judged as the log's own site's, so that site's allow entries apply to it as in the scan.
   */
  @Test
  void hostsOutsideTheNamedSitesAreJudgedAsTheLogsOwnSite() throws Exception {
    Path f = dir.resolve("vhosts.log");
    Files.writeString(f, "203.0.113.5:80 192.0.2.9 - - [02/Feb/2013:10:00:00 +0000] \"GET /.env"
        + " HTTP/1.1\" 404 5 \"-\" \"x\"\n");
    Path allow = dir.resolve("allow.yaml");
    Files.writeString(allow, "allow:\n  - {rule: EV-950100, site: shop.example}\n");
    String rules = "evident," + allow;
    ObjectMapper m = new ObjectMapper();
    JsonNode asIs = m.readTree(Cli.run("explain", "--rules", rules, "--site", "shop.example",
        "--format", "jsonl", f.toString()).out());
    assertThat(asIs.get("attack").asBoolean()).as("the Host 203.0.113.5 is a site").isTrue();
    Cli.Result named = Cli.run("explain", "--rules", rules, "--site", "shop.example", "--sites",
        "shop.example", "--format", "jsonl", f.toString());
    assertThat(named.code()).as(named.err()).isZero();
    JsonNode judged = m.readTree(named.out());
    assertThat(judged.get("attack").asBoolean()).isFalse();
    assertThat(judged.get("excused").get(0).get("rule").asText()).isEqualTo("EV-950100");
    Cli.Result bad = Cli.run("tune", "--sites", "a b", f.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--sites: 'a b' is no host name");
  }

  @Test
  void excusedMatchesNameTheAllowEntryThatExcusedThem() throws Exception {
    Path f = dir.resolve("a.log");
    Files.writeString(f, LOG);
    Path local = dir.resolve("local.yaml");
    Files.writeString(local, "allow:\n  - {source: 198.51.100.0/24}\n"
        + "  - {rule: EV-942111, path: '^/p$', arg: id}\n");
    Cli.Result text = Cli.run("explain", "--rules", "evident," + local, f.toString());
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("line 1: ATTACK, score ")
        .containsPattern("\n  EV-942111  critical \\(excused by [^)]*local\\.yaml, allow entry"
            + " 2\\)  sqli  in args:id after ");
    Cli.Result json = Cli.run("explain", "--format", "jsonl", "--rules", "evident," + local,
        f.toString());
    ObjectMapper m = new ObjectMapper();
    JsonNode first = m.readTree(json.out().split("\n")[0]);
    assertThat(first.get("excused")).hasSize(1);
    assertThat(first.get("excused").get(0).get("rule").asText()).isEqualTo("EV-942111");
    assertThat(first.get("excused").get(0).get("allow").asText()).endsWith("local.yaml,"
        + " allow entry 2");
    assertThat(first.get("matches").findValuesAsText("rule")).doesNotContain("EV-942111")
        .isNotEmpty();
    assertThat(m.readTree(json.out().split("\n")[1]).get("excused")).isEmpty();
  }

  /**
   * The threshold and paranoia level come from the rule files' settings unless a flag names
   * them; the scan records what it counted with. A doubly encoded link scores 3 (a warning):
   * below the default threshold of 5, an attack at 3.
   */
  @Test
  void scoringSettingsFromRuleFilesAndFlags() throws Exception {
    Path f = dir.resolve("w.log");
    Files.writeString(f, Cli.WARNING_LINE);
    Path local = dir.resolve("local.yaml");
    Files.writeString(local, "settings: {paranoia: 2, threshold: 3}\n");
    ObjectMapper m = new ObjectMapper();
    JsonNode byDefault = m.readTree(Cli.run("explain", "--format", "jsonl", f.toString()).out());
    assertThat(byDefault.get("attack").asBoolean()).isFalse();
    assertThat(byDefault.get("score").asInt()).isEqualTo(3);
    String rules = "evident," + local;
    JsonNode bySettings = m.readTree(Cli.run("explain", "--rules", rules, "--format", "jsonl",
        f.toString()).out());
    assertThat(bySettings.get("threshold").asInt()).isEqualTo(3);
    assertThat(bySettings.get("attack").asBoolean()).isTrue();
    JsonNode byFlag = m.readTree(Cli.run("explain", "--rules", rules, "--threshold", "5",
        "--format", "jsonl", f.toString()).out());
    assertThat(byFlag.get("attack").asBoolean()).isFalse();

    Path db = dir.resolve("s.duckdb");
    Cli.Result s = Cli.run("scan", "--no-geo", "--db", db.toString(), "--rules", rules,
        f.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("1 attack request (");
    assertThat(Cli.run("sql", "--db", db.toString(), "--format", "csv",
        "SELECT paranoia, threshold FROM scans").out()).contains("2,3");
    assertThat(Cli.run("report", "--db", db.toString(), "--month", "2013-02", "--format",
        "json").out()).as("the report names the scoring its counts were made with")
        .contains("paranoia 2, threshold 3)");
    Path untouched = dir.resolve("bad.duckdb");
    Cli.Result bad = Cli.run("scan", "--no-geo", "--db", untouched.toString(), "--threshold",
        "0", f.toString());
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("--threshold must be at least 1").doesNotContain("Exception");
    assertThat(untouched).as("a bad flag creates no database").doesNotExist();
  }

  /**
   * A detection paranoia level above the paranoia level shows what the next level's rules
   * match (explain) and how many requests they would make attacks (scan) without changing a
   * stored count.
   */
  @Test
  void detectionParanoiaShowsTheNextLevelWithoutCountingIt() throws Exception {
    Path f = dir.resolve("d.log");
    Files.writeString(f, "192.0.2.9 - - [01/Feb/2013:00:00:00 +0000] \"GET /legacy?x=1"
        + " HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0\"\n"
        + "192.0.2.9 - - [01/Feb/2013:00:00:01 +0000] \"GET / HTTP/1.1\" 200 1 \"-\""
        + " \"Mozilla/5.0\"\n");
    Path local = dir.resolve("next.yaml");
    Files.writeString(local, "rules:\n  - {id: LOCAL-2, class: probe, paranoia: 2,"
        + " targets: [path], contains: /legacy, msg: Legacy endpoint}\n");
    String rules = "evident," + local;
    ObjectMapper m = new ObjectMapper();
    String[] plain = Cli.run("explain", "--rules", rules, "--format", "jsonl", f.toString())
        .out().split("\n");
    assertThat(m.readTree(plain[0]).has("unscored")).as("absent unless asked for").isFalse();
    Cli.Result j = Cli.run("explain", "--rules", rules, "--detection-paranoia", "2",
        "--format", "jsonl", f.toString());
    assertThat(j.code()).as(j.err()).isZero();
    JsonNode line1 = m.readTree(j.out().split("\n")[0]);
    assertThat(line1.get("attack").asBoolean()).isFalse();
    assertThat(line1.get("score").asInt()).isZero();
    assertThat(line1.get("matches")).isEmpty();
    JsonNode u = line1.get("unscored").get(0);
    assertThat(u.get("rule").asText()).isEqualTo("LOCAL-2");
    assertThat(u.get("paranoia").asInt()).isEqualTo(2);
    assertThat(u.get("score").asInt()).isEqualTo(5);
    assertThat(m.readTree(j.out().split("\n")[1]).get("unscored")).isEmpty();
    Cli.Result t = Cli.run("explain", "--rules", rules, "--detection-paranoia", "2",
        f.toString());
    assertThat(t.out()).contains("line 1: below threshold, score 0",
        "LOCAL-2  critical (paranoia 2, not scored)  probe  in path", "line 2: clean");

    Path settings = dir.resolve("detect.yaml");
    Files.writeString(settings, "settings: {detection_paranoia: 2}\n");
    Path db = dir.resolve("d.duckdb");
    Cli.Result s = Cli.run("scan", "--no-geo", "--db", db.toString(), "--rules",
        rules + "," + settings, f.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("0 attack requests", "Rules of paranoia level 2 (run for"
        + " detection only, not counted) matched 1 request; 1 of them would be attacks at"
        + " paranoia level 2.");
    Cli.Result none = Cli.run("scan", "--no-geo", "--db", dir.resolve("e.duckdb").toString(),
        "--rules", rules, f.toString());
    assertThat(none.out()).doesNotContain("detection only");
    Cli.Result bad = Cli.run("explain", "--detection-paranoia", "0", f.toString());
    assertThat(bad.code()).as("a bad option value is bad usage").isEqualTo(2);
    assertThat(bad.err()).contains("--detection-paranoia must be").doesNotContain("Exception");
  }

  @Test
  void streamsPastTheFormatSampleAndNumbersEveryLine() throws Exception {
    String benign = "192.0.2.2 - - [01/Feb/2013:00:00:01 +0000] \"GET / HTTP/1.1\" 200 1"
        + " \"-\" \"Mozilla/5.0\"\n";
    String attack = "192.0.2.3 - - [01/Feb/2013:00:00:02 +0000] \"GET /.env HTTP/1.1\" 404 1"
        + " \"-\" \"Mozilla/5.0\"\n";
    Path f = dir.resolve("long.log");
    Files.writeString(f, benign.repeat(4999) + attack + benign.repeat(10));
    Cli.Result r = Cli.run("explain", "--attacks-only", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("line 5000: ATTACK").doesNotContain("line 5001");
  }

  /**
   * Lines are judged on several threads and shown in the log's order, each with the fields of
   * the W3C #Fields line above it, even where the fields change in the middle of a batch.
   */
  @Test
  void threadsChangeTheSpeedNotTheAnswer() throws Exception {
    StringBuilder log = new StringBuilder("#Fields: date time c-ip cs-method cs-uri-stem"
        + " cs-uri-query sc-status\n");
    int lineNo = 1;
    int lastAttack = 0;
    for (int i = 1; i <= 5_000; i++) {
      if (i == 2_500) { // the same fields in another order, within the third batch
        log.append("#Fields: date time cs-uri-query cs-uri-stem c-ip cs-method sc-status\n");
        lineNo++;
      }
      lastAttack = i % 7 == 0 ? lineNo + 1 : lastAttack;
      lineNo += i % 1_000 == 0 ? 2 : 1;
      String query = i % 7 == 0 ? "id=1+union+select+" + i : "page=" + i;
      log.append(i < 2_500
          ? "2013-02-01 00:00:01 198.51.100.7 GET /item " + query + " 200\n"
          : "2013-02-01 00:00:01 " + query + " /item 198.51.100.7 GET 200\n");
      if (i % 1_000 == 0) {
        log.append("\u0001garbage\n");
      }
    }
    Path f = dir.resolve("w3c.log");
    Files.writeString(f, log);
    Cli.Result one = Cli.run("explain", "--threads", "1", "--format", "jsonl", f.toString());
    Cli.Result three = Cli.run("explain", "--threads", "3", "--format", "jsonl", f.toString());
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(three.out()).isEqualTo(one.out());
    // 5,000 requests and 5 skipped lines, the two directives not shown; every 7th an attack
    assertThat(one.out().lines().count()).isEqualTo(5_005);
    assertThat(one.out().lines().filter(l -> l.contains("\"attack\":true")).count())
        .isEqualTo(5_000 / 7);
    assertThat(one.out()).contains("{\"line\":" + lastAttack + ",\"attack\":true");
    Cli.Result none = Cli.run("explain", "--threads", "0", f.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("evident: --max-line-bytes must be at least 256 and"
        + " --threads at least 1\nTry 'evident explain --help' for more.\n");
  }

  @Test
  void textIsReadableAndSafeOnATerminal() throws Exception {
    Path f = dir.resolve("b.log");
    Files.writeString(f, LOG);
    Cli.Result r = Cli.run("explain", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("line 1: ATTACK, score", "class sqli", "tool sqlmap",
        "line 2: clean", "line 3: skipped (unparseable)").doesNotContain("\u001b");
    Cli.Result only = Cli.run("explain", "--attacks-only", f.toString());
    assertThat(only.out()).doesNotContain("line 2:");
    Cli.Result bad = Cli.run("explain", "--paranoia", "7", f.toString());
    assertThat(bad.code()).as("a bad option value is bad usage").isEqualTo(2);
    assertThat(bad.err()).isEqualTo("evident: --paranoia must be 1, 2, 3 or 4\n"
        + "Try 'evident explain --help' for more.\n");
  }
}
