package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import org.evident.cli.demo.TrafficGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scans generated logs whose truth is known and checks the exact numbers every command gives. */
class EndToEndTest {
  @TempDir
  static Path dir;
  static Path log;
  static Path db;
  static TrafficGenerator truth;

  @BeforeAll
  static void scan() throws Exception {
    log = dir.resolve("shop.example-access.log");
    db = dir.resolve("e2e.duckdb");
    truth = new TrafficGenerator(42, YearMonth.of(2013, 2), null, 0.05, "+0800");
    try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      truth.write(20_000, w);
    }
    Cli.Result r = Cli.run("scan", "--no-geo", "-q", "--db", db.toString(), log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("20,000 lines", "20,000 requests");
  }

  static JsonNode report(String... extra) throws Exception {
    String[] args = new String[] {"report", "--db", db.toString(), "--month", "2013-02",
        "--format", "json", "--top", "50"};
    Cli.Result r = Cli.run(concat(args, extra));
    assertThat(r.code()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void countsMatchTheTruthExactly() throws Exception {
    JsonNode j = report();
    assertThat(j.get("requests").asLong()).isEqualTo(20_000);
    assertThat(j.get("attacks").asLong()).isEqualTo(truth.attacks());
    Map<String, Long> byClass = new TreeMap<>();
    j.get("by_class").forEach(c -> byClass.put(c.get("class").asText(), c.get("attacks")
        .asLong()));
    assertThat(byClass).isEqualTo(truth.truthByClass());
    Map<String, Long> byTool = new TreeMap<>();
    j.get("by_tool").forEach(c -> byTool.put(c.get("tool").asText(), c.get("attacks").asLong()));
    assertThat(byTool).isEqualTo(truth.truthByTool());
    long days = 0;
    for (JsonNode d : j.get("by_day")) {
      days += d.get("requests").asLong();
    }
    assertThat(j.get("by_day")).hasSize(28);
    // the log is in +0800: its first eight hours fall in January UTC and are not February's
    assertThat(days).isEqualTo(j.get("requests").asLong());
    assertThat(j.get("site").isNull()).isTrue();
    assertThat(j.get("schema").asText()).isEqualTo("evident.report/1");
  }

  @Test
  void eventsExportEveryAttackWithItsEvidence() throws Exception {
    Cli.Result r = Cli.run("events", "--db", db.toString(), "--format", "jsonl");
    assertThat(r.code()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines).hasSize((int) truth.attacks());
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertThat(first.get("source_file").asText()).isEqualTo(log.toString());
    assertThat(first.get("line").asLong()).isPositive();
    assertThat(first.get("line_sha256").asText()).hasSize(64);
    assertThat(first.get("time").asText()).endsWith("Z");
    assertThat(first.get("rule_ids").isArray()).isTrue();
    byte[] raw = Files.readAllBytes(log);
    long off = first.get("byte_offset").asLong();
    int end = off + 1 < raw.length ? indexOf(raw, (int) off) : raw.length;
    String line = new String(raw, (int) off, end - (int) off, StandardCharsets.UTF_8);
    assertThat(sha256(line)).isEqualTo(first.get("line_sha256").asText());
    Cli.Result csv = Cli.run("events", "--db", db.toString(), "--format", "csv", "--class",
        "sqli");
    assertThat(csv.out().split("\r\n")).hasSize(1 + truth.truthByClass().get("sqli").intValue());
    // where each matched: an argument by name, the path, the agent; every rule match says
    Map<String, Long> where = new TreeMap<>();
    for (String l : lines) {
      JsonNode e = new ObjectMapper().readTree(l);
      String in = e.get("matched_in").isNull() ? "none" : e.get("matched_in").asText();
      where.merge(e.get("class").asText() + " " + in.replaceFirst(":.*", ":"), 1L, Long::sum);
    }
    assertThat(where).containsKeys("sqli args:", "xss args:", "admin-probe path",
        "log4shell user_agent");
    assertThat(where.keySet()).noneMatch(k -> k.endsWith(" none"));
    assertThat(csv.out().split("\r\n")[0]).endsWith(",actor,matched_in");
  }

  @Test
  void rescanAddsNothingAndGrowthAddsOnlyNewLines() throws Exception {
    Path copy = dir.resolve("growing.log");
    Path db2 = dir.resolve("grow.duckdb");
    Files.copy(log, copy);
    assertThat(Cli.run("scan", "--no-geo", "-q", "--db", db2.toString(), copy.toString())
        .code()).isZero();
    Cli.Result again = Cli.run("scan", "--no-geo", "-q", "--db", db2.toString(),
        copy.toString());
    assertThat(again.out()).contains("(1 unchanged)", " 0 lines");
    String hour = "SELECT coalesce(sum(requests), 0) AS r, coalesce(sum(attacks), 0) AS a"
        + " FROM traffic WHERE hour = TIMESTAMP '2013-02-27 10:00:00'";
    String[] before = Cli.run("sql", "--db", db2.toString(), "--format", "csv", hour).out()
        .split("\r\n")[1].split(",");
    assertThat(Long.parseLong(before[0])).isPositive(); // so the new lines update a row
    String extra = "192.0.2.50 - - [27/Feb/2013:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 1"
        + " \"-\" \"x\"\n";
    Files.writeString(copy, extra + extra, StandardOpenOption.APPEND);
    Cli.Result grown = Cli.run("scan", "--no-geo", "-q", "--db", db2.toString(),
        copy.toString());
    assertThat(grown.out()).contains(" 2 lines", "2 attack requests");
    Cli.Result sql = Cli.run("sql", "--db", db2.toString(), "--format", "csv",
        "SELECT count(*) AS n FROM attacks");
    assertThat(sql.out()).contains("n\r\n" + (truth.attacks() + 2));
    // the new lines' hour already had traffic: its totals grow, no second row appears
    assertThat(Cli.run("sql", "--db", db2.toString(), "--format", "csv", hour).out())
        .contains("r,a\r\n" + (Long.parseLong(before[0]) + 2) + ","
            + (Long.parseLong(before[1]) + 2));
    assertThat(Cli.run("sql", "--db", db2.toString(), "--format", "csv",
        "SELECT count(*) AS n FROM traffic GROUP BY site, hour HAVING count(*) > 1").out())
        .isEqualTo("n\r\n");
  }

  /**
   * {@code sql} promises nothing changes: the database is read-only, and so is every other file,
   * since DuckDB's queries can write files, read them, attach databases and load extensions.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "COPY (SELECT 1 AS x) TO 'OUT'",
      "SELECT 1; COPY (SELECT 1 AS x) TO 'OUT'",
      "SELECT * FROM read_csv('OUT.src')",
      "ATTACH 'OUT' AS other",
      "INSTALL httpfs",
      "SET enable_external_access = true",
      "SET lock_configuration = false"})
  void sqlTouchesNoOtherFile(String statement) throws Exception {
    Path out = dir.resolve("sql-out.csv");
    Files.writeString(dir.resolve("sql-out.csv.src"), "a,b\n1,2\n");
    Cli.Result r = Cli.run("sql", "--db", db.toString(), statement.replace("OUT", out.toString()));
    assertThat(r.code()).as(r.out()).isEqualTo(1);
    assertThat(r.err()).startsWith("evident: SQL error: ").doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }

  @Test
  void topAndSql() {
    Cli.Result top = Cli.run("top", "classes", "--db", db.toString(), "--since", "2013-02",
        "--until", "2013-03", "--format", "csv");
    assertThat(top.code()).isZero();
    assertThat(top.out()).contains("sqli,sqli," + truth.truthByClass().get("sqli"));
    // the same selection options as events: a month, a class, a country
    Cli.Result oneClass = Cli.run("top", "classes", "--db", db.toString(), "--month", "2013-02",
        "--class", "sqli", "--format", "csv");
    assertThat(oneClass.out()).startsWith("key,label,attacks,sources,share\r\nsqli,sqli,"
        + truth.truthByClass().get("sqli") + ",").endsWith(",1.000000\r\n");
    assertThat(oneClass.out().split("\r\n")).as("one class, one row").hasSize(2);
    // by rule: each request once for each rule it matched, the counts SQL gives
    Cli.Result rules = Cli.run("top", "rules", "--db", db.toString(), "--format", "csv");
    assertThat(rules.code()).isZero();
    String[] rows = rules.out().split("\r\n");
    assertThat(rows.length).as(rules.out()).isGreaterThan(3);
    String[] first = rows[1].split(",");
    Cli.Result counted = Cli.run("sql", "--db", db.toString(), "SELECT count(*) AS n FROM attacks"
        + " WHERE list_contains(string_split(rule_ids, ','), '" + first[0] + "')");
    assertThat(counted.out()).contains(first[2]);
    long sum = java.util.Arrays.stream(rows).skip(1).mapToLong(r -> Long.parseLong(r.split(",")[2]))
        .sum();
    assertThat(sum).as("a request counts for each of its rules")
        .isGreaterThanOrEqualTo(truth.truthByClass().get("sqli"));
    Cli.Result write = Cli.run("sql", "--db", db.toString(), "DELETE FROM attacks");
    assertThat(write.code()).isEqualTo(1);
    assertThat(write.err()).contains("read-only");
    Cli.Result bad = Cli.run("top", "planets", "--db", db.toString());
    assertThat(bad.code()).as("a bad option value is bad usage").isEqualTo(2);
    assertThat(bad.err()).contains("cannot rank by 'planets'");
    Cli.Result backwards = Cli.run("top", "ips", "--since", "2013-03", "--until", "2013-02",
        "--db", db.toString());
    assertThat(backwards.code()).isEqualTo(2);
    assertThat(backwards.err()).startsWith("evident: --since must be before --until\n");
    Cli.Result events = Cli.run("events", "--since", "2013-02-10", "--until", "2013-02-10",
        "--db", db.toString());
    assertThat(events.code()).isEqualTo(2);
    assertThat(events.out()).isEmpty();
    // a misspelt class selects nothing, and says so; a country is two letters
    Cli.Result misspelt = Cli.run("events", "--class", "sqlx", "--db", db.toString());
    assertThat(misspelt.code()).isZero();
    assertThat(misspelt.out()).isEmpty();
    assertThat(misspelt.err()).startsWith("evident: no stored attack has class 'sqlx'; the"
        + " classes stored are: ").contains("sqli, ");
    Cli.Result none = Cli.run("events", "--class", "sqli", "--since", "2020-01", "--db",
        db.toString());
    assertThat(none.out() + none.err()).as("a stored class with nothing in range").isEmpty();
    Cli.Result threeLetters = Cli.run("events", "--country", "USA", "--db", db.toString());
    assertThat(threeLetters.code()).isEqualTo(2);
    assertThat(threeLetters.err()).startsWith("evident: --country 'USA' is not an ISO 3166"
        + " two-letter country code");
    Cli.Result noDbYet = Cli.run("report", "--month", "2013-13", "--db",
        db.resolveSibling("absent.duckdb").toString());
    assertThat(noDbYet.code()).as("the value is checked before the database").isEqualTo(2);
    assertThat(noDbYet.err()).startsWith("evident: --month '2013-13' is not a month;");
  }

  @Test
  void everyReportFormatWritesAFile() throws Exception {
    for (String f : new String[] {"text", "md", "json", "csv", "html"}) {
      Path out = dir.resolve("r." + f);
      Cli.Result r = Cli.run("report", "--db", db.toString(), "--format", f, "-o",
          out.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(Files.readString(out)).contains("2013");
    }
    assertThat(Files.readString(dir.resolve("r.html"))).startsWith("<!DOCTYPE html>")
        .contains("<svg").doesNotContain("<script");
  }

  /** "0 attacks in March" would be a claim without evidence when no March line was scanned. */
  @Test
  void aMonthOrSiteWithNothingScannedIsRefusedNotReportedAsZero() {
    Cli.Result month = Cli.run("report", "--db", db.toString(), "--month", "2013-03");
    assertThat(month.code()).isEqualTo(1);
    assertThat(month.out()).isEmpty();
    assertThat(month.err()).isEqualTo("evident: no request was scanned in March 2013; the"
        + " database holds 2013-02" + System.lineSeparator());
    Cli.Result site = Cli.run("report", "--db", db.toString(), "--month", "2013-02", "--site",
        "nope.example");
    assertThat(site.code()).isEqualTo(1);
    assertThat(site.err()).startsWith("evident: no request for site 'nope.example' was scanned"
        + " in February 2013; that month the database holds ");
  }

  @Test
  void sitesComeFromVhostFieldsThenSiteOptionThenFileName() throws Exception {
    Path vhost = dir.resolve("vhosts.log");
    Files.writeString(vhost, "a.example:443 192.0.2.9 - - [02/Feb/2013:10:00:00 +0000] \"GET"
        + " /.env HTTP/1.1\" 404 5 \"-\" \"x\"\nB.Example:80 192.0.2.9 - -"
        + " [02/Feb/2013:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n");
    Path plain = dir.resolve("news.example-access.log.1");
    Files.writeString(plain, "192.0.2.9 - - [03/Feb/2013:10:00:00 +0000] \"GET /.git/config"
        + " HTTP/1.1\" 404 5 \"-\" \"x\"\n");
    Path named = dir.resolve("access.log");
    Files.writeString(named, "192.0.2.9 - - [03/Feb/2013:11:00:00 +0000] \"GET / HTTP/1.1\""
        + " 200 5 \"-\" \"x\"\n");
    Path db3 = dir.resolve("sites.duckdb");
    assertThat(Cli.run("scan", "--no-geo", "-q", "--db", db3.toString(), vhost.toString(),
        plain.toString()).code()).isZero();
    assertThat(Cli.run("scan", "--no-geo", "-q", "--db", db3.toString(), "--site",
        "intranet.example", named.toString()).code()).isZero();
    Cli.Result sql = Cli.run("sql", "--db", db3.toString(), "--format", "csv",
        "SELECT site, sum(requests) AS r, sum(attacks) AS a FROM traffic GROUP BY 1 ORDER BY 1");
    assertThat(sql.out()).isEqualTo("site,r,a\r\na.example,1,1\r\nb.example,1,0\r\n"
        + "intranet.example,1,0\r\nnews.example,1,1\r\n");
    JsonNode one = new ObjectMapper().readTree(Cli.run("report", "--db", db3.toString(),
        "--month", "2013-02", "--site", "news.example", "--format", "json").out());
    assertThat(one.get("site").asText()).isEqualTo("news.example");
    assertThat(one.get("attacks").asLong()).isEqualTo(1);
    assertThat(one.get("by_class").get(0).get("class").asText()).isEqualTo("sensitive-file");
  }

  /**
   * With {@code --sites}, a Host the log's sites do not include (a scanner's made-up one, the
   * server's address) counts for the log's own site; a listed name and the names below a
   * {@code *.} entry stay sites of their own.
   */
  @Test
  void hostsOutsideTheNamedSitesCountForTheLogsOwnSite() throws Exception {
    Path vhost = dir.resolve("shop.example-vhosts.log");
    String[] hosts = {"shop.example:443", "www.shop.example:443", "203.0.113.5:80",
        "localhost:80", "Shop.Example:80"};
    StringBuilder log = new StringBuilder();
    for (String h : hosts) {
      log.append(h).append(" 192.0.2.9 - - [02/Feb/2013:10:00:00 +0000] \"GET /.env HTTP/1.1\""
          + " 404 5 \"-\" \"x\"\n");
    }
    Files.writeString(vhost, log);
    Path named = dir.resolve("named.duckdb");
    Cli.Result scan = Cli.run("scan", "--no-geo", "-q", "--db", named.toString(), "--sites",
        "shop.example,*.shop.example", "--site", "server.example", vhost.toString());
    assertThat(scan.code()).as(scan.err()).isZero();
    assertThat(Cli.run("sql", "--db", named.toString(), "--format", "csv", "SELECT site,"
        + " sum(attacks) AS a FROM traffic GROUP BY 1 ORDER BY 1").out()).isEqualTo(
        "site,a\r\nserver.example,2\r\nshop.example,2\r\nwww.shop.example,1\r\n");
    Path every = dir.resolve("every.duckdb");
    assertThat(Cli.run("scan", "--no-geo", "-q", "--db", every.toString(), vhost.toString())
        .code()).isZero();
    assertThat(Cli.run("sql", "--db", every.toString(), "--format", "csv", "SELECT count(DISTINCT"
        + " site) AS n FROM traffic").out()).isEqualTo("n\r\n4\r\n");
    Cli.Result bad = Cli.run("scan", "--no-geo", "-q", "--db", every.toString(), "--sites",
        "shop.example/x", vhost.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--sites: 'shop.example/x' is no host name").doesNotContain(
        "Exception");
  }

  @Test
  void demoRunsEndToEnd() {
    Path demo = dir.resolve("demo");
    Cli.Result r = Cli.run("demo", "--no-geo", "--lines", "5000", "--dir", demo.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("attack requests in February 2013", "Report: ");
    assertThat(demo.resolve("report-2013-02.html")).exists();
    // the next command as the user can type it: the launcher as called, else the jar
    assertThat(r.out()).contains("Next:   java -jar evident.jar report --db "
        + demo.resolve("demo.duckdb") + " --month 2013-02");
    System.setProperty("evident.launcher", "/opt/evident/evident");
    try {
      Cli.Result again = Cli.run("demo", "--no-geo", "--lines", "500", "--dir",
          dir.resolve("demo2").toString());
      assertThat(again.out()).contains("Next:   /opt/evident/evident report --db ");
    } finally {
      System.clearProperty("evident.launcher");
    }
  }

  private static int indexOf(byte[] raw, int from) {
    for (int i = from; i < raw.length; i++) {
      if (raw[i] == '\n') {
        return i;
      }
    }
    return raw.length;
  }

  static String sha256(String s) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
