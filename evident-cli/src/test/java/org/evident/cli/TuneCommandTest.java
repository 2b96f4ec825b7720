package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evident tune}: from a log to a rule file that silences its visitors, not its attacker. */
class TuneCommandTest {
  @TempDir
  Path dir;

  static final String RULES = """
      pack: t
      version: "1"
      defaults: {severity: critical, targets: [args], transforms: [urlDecodeUni]}
      rules:
        - {id: T-1, class: cmdi, rx: 'gzip.{0,3}', tags: [attack-rce]}
        - {id: T-2, class: cmdi, rx: '\\bgrep\\b', tags: [attack-rce]}
      """;

  private static String line(String ip, String target) {
    return ip + " - - [01/Feb/2013:00:00:00 +0000] \"GET " + target + " HTTP/1.1\" 200 1 \"-\""
        + " \"Mozilla/5.0\"\n";
  }

  /** Writes the log and {@link #RULES} (t.yaml), tunes into tuned.yaml, and checks it ran. */
  private Cli.Result tune(CharSequence log, Path f) throws Exception {
    Files.writeString(f, log);
    Files.writeString(dir.resolve("t.yaml"), RULES);
    Cli.Result r = Cli.run("tune", "--rules", dir.resolve("t.yaml").toString(), f.toString(),
        "-o", dir.resolve("tuned.yaml").toString());
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  @Test
  void proposesWhatVisitorsTripAndKeepsTheAttacker() throws Exception {
    StringBuilder log = new StringBuilder();
    String[] searches = {"gzip%E2%80%A8x", "gzip%27s+flags", "grep+vs+gzip", "gzip+manual",
        "gunzip+or+gzip", "man+grep"};
    for (int i = 0; i < searches.length; i++) {
      log.append(line("192.0.2." + (i + 1), "/docs/search?q=" + searches[i]));
    }
    log.append(line("203.0.113.7", "/docs/search?q=gzip")); // the same text, and then:
    log.append(line("203.0.113.7", "/login?user=x%3Bgrep+root+/etc/passwd"));
    Path f = dir.resolve("access.log");
    Path rules = dir.resolve("t.yaml");
    Path out = dir.resolve("tuned.yaml");
    Cli.Result r = tune(log, f);
    assertThat(r.err()).contains("8 attack requests judged; 1 entries proposed;");
    String yaml = Files.readString(out);
    assertThat(yaml).contains("  - tag: 'attack-rce'\n    path: '^/docs/search$'\n"
        + "    status: [2xx]\n    arg: 'q'\n")
        .contains("6 clean sources")
        // what the log said is escaped: a quote doubled, a Unicode line separator shown
        .contains("'gzip''s '").contains("'gzip\\u2028x'").doesNotContain("\u2028");

    // scanning with the proposals: the visitors are excused, the attacker is not
    Cli.Result e = Cli.run("explain", "--rules", rules + "," + out, "--attacks-only",
        "--format", "jsonl", f.toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out().lines().toList()).hasSize(1).allSatisfy(l ->
        assertThat(l).contains("\"line\":8", "\"rule\":\"T-2\""));
  }

  /**
   * A log that holds the Cookie header: a consent cookie that trips a rule for every visitor
   * who accepted it, on every page, gets a cookie: entry for every path; the same rule in
   * another cookie still counts.
   */
  @Test
  void proposesACookieVisitorsSendWithEveryPage() throws Exception {
    String format = "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""
        + " \"%{Cookie}i\"";
    StringBuilder log = new StringBuilder();
    String[] pages = {"/", "/shop", "/cart", "/help", "/about"};
    for (int i = 1; i <= 6; i++) {
      for (String page : pages) {
        log.append("192.0.2.").append(i).append(" - - [01/Feb/2013:00:00:0").append(i)
            .append(" +0000] \"GET ").append(page).append(" HTTP/1.1\" 200 1 \"-\""
                + " \"Mozilla/5.0\" \"consent=groups:gzip").append(i).append("; sid=").append(i)
            .append("\"\n");
      }
    }
    log.append("203.0.113.7 - - [01/Feb/2013:00:00:09 +0000] \"GET / HTTP/1.1\" 200 1 \"-\""
        + " \"Mozilla/5.0\" \"consent=gzip1; sid=grep root\"\n");
    Path f = dir.resolve("cookies.log");
    Files.writeString(f, log);
    Path rules = dir.resolve("c.yaml");
    Files.writeString(rules, """
        rules:
          - {id: C-1, class: cmdi, severity: critical, targets: [args, request_cookies],
             rx: 'gzip[0-9]', tags: [attack-rce]}
          - {id: C-2, class: cmdi, severity: critical, targets: [args, request_cookies],
             rx: 'grep root', tags: [capec/88]}
        """);
    Path out = dir.resolve("tuned-cookies.yaml");
    Cli.Result r = Cli.run("tune", "--rules", rules.toString(), "--log-format", format,
        f.toString(), "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String yaml = Files.readString(out);
    assertThat(yaml).contains("  - rule: 'C-1'\n    status: [2xx]\n    cookie: 'consent'\n")
        .contains("6 clean sources, every path").doesNotContain("arg:");
    Cli.Result e = Cli.run("explain", "--rules", rules + "," + out, "--attacks-only",
        "--log-format", format, "--format", "jsonl", f.toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out().lines().toList()).hasSize(1).allSatisfy(l ->
        assertThat(l).contains("\"line\":31", "\"rule\":\"C-2\""));
  }

  /**
   * A log that names sites (vhost_combined) gets entries per site; a log that does not, with
   * --site, gets entries for that site, which explain applies when given the same --site.
   */
  @Test
  void entriesAreForTheSiteTheLogOrSiteNames() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      log.append("shop.example:443 ").append(line("192.0.2." + i, "/search?q=gzip+" + i));
      log.append("forum.example:443 ").append(line("198.51.100." + i, "/search?q=gzip+" + i));
    }
    log.append("forum.example:443 ").append(line("192.0.2.1", "/search?q=gzip")); // two sites
    Path f = dir.resolve("other_vhosts_access.log");
    Path rules = dir.resolve("t.yaml");
    Path out = dir.resolve("tuned.yaml");
    tune(log, f);
    String yaml = Files.readString(out);
    String proposed = yaml.substring(0, yaml.indexOf("# Weaker evidence"));
    assertThat(proposed).contains("  - rule: 'T-1'\n    site: 'forum.example'\n"
        + "    path: '^/search$'\n    status: [2xx]\n    arg: 'q'\n")
        .doesNotContain("shop.example");
    // the shop's address that was flagged on the forum too is not clean: four are left
    assertThat(yaml.substring(proposed.length())).contains("4 clean sources; only 4 clean"
        + " sources").contains("#    site: 'shop.example'\n");
    Cli.Result e = Cli.run("explain", "--rules", rules + "," + out, "--attacks-only",
        "--format", "jsonl", f.toString());
    // the shop's five (odd lines) stay: the forum's entry is not for them
    assertThat(e.out().lines().map(l -> l.substring(0, l.indexOf(','))).toList()).as(e.err())
        .containsExactly("{\"line\":1", "{\"line\":3", "{\"line\":5", "{\"line\":7",
            "{\"line\":9");

    StringBuilder plain = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      plain.append(line("192.0.2." + i, "/search?q=gzip+" + i));
    }
    Path a = dir.resolve("access.log");
    Files.writeString(a, plain);
    Cli.Result t = Cli.run("tune", "--rules", rules.toString(), "--site", "shop.example",
        a.toString(), "-o", out.toString());
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(Files.readString(out)).contains("    site: 'shop.example'\n");
    assertThat(Cli.run("explain", "--rules", rules + "," + out, "--attacks-only", "--format",
        "jsonl", a.toString()).out().lines())
        .hasSize(5); // judged as site "default", which the entry is not for
    assertThat(Cli.run("explain", "--rules", rules + "," + out, "--attacks-only", "--site",
        "shop.example", a.toString()).out()).isEmpty();
  }

  /** Writes the log to {@code f}, tunes it with Evident's rules and CRS 4 into tuned.yaml. */
  private Path tuneWithCrs(CharSequence log, Path f) throws Exception {
    Files.writeString(f, log);
    Path out = dir.resolve("tuned.yaml");
    Cli.Result r = Cli.run("tune", "--rules", "evident," + CrsRulesTest.CRS4, f.toString(),
        "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return out;
  }

  /**
   * CRS 941130 flags an .xhtml page by its name when the path holds a character beyond those
   * CRS's own 941010 lets pass (a {@code ~} home folder): visitors who browse and read one give
   * an entry for that page's name alone, and an attack on the same page still counts. A plain
   * path is excused by 941010 itself.
   */
  @Test
  void aPageWhoseNameTripsCrsIsExcusedByNameAlone() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      String ip = "192.0.2." + i;
      log.append(line(ip, "/~w3/TR/")).append(line(ip, "/~w3/TR/style.css"))
          .append(line(ip, "/~w3/TR/xhtml1/xhtml1.xhtml")).append(line(ip, "/~w3/TR/logo.png"));
    }
    log.append(line("203.0.113.9",
        "/~w3/TR/xhtml1/xhtml1.xhtml?x=%3Ca+xlink:href=javascript:x%3E"));
    Path f = dir.resolve("access.log");
    Path out = tuneWithCrs(log, f);
    assertThat(Files.readString(out)).contains("  - rule: '941130'\n"
        + "    path: '^/~w3/TR/xhtml1/xhtml1\\.xhtml$'\n    status: [2xx, 304]\n"
        + "    target: 'path'\n")
        .contains("5 clean sources who browse, in the page's name");
    Cli.Result e = Cli.run("explain", "--rules", "evident," + CrsRulesTest.CRS4 + "," + out,
        "--attacks-only", "--format", "jsonl", f.toString());
    assertThat(e.out().lines().toList()).as(e.err()).hasSize(1)
        .allSatisfy(l -> assertThat(l).startsWith("{\"line\":21,"));
    Path plain = dir.resolve("plain.log");
    Files.writeString(plain, line("192.0.2.1", "/TR/xhtml1/xhtml1.xhtml"));
    Cli.Result p = Cli.run("explain", "--rules", "evident," + CrsRulesTest.CRS4, plain.toString());
    assertThat(p.out()).as(p.err()).contains("line 1: clean, 1 match excused",
        "941130", "REQUEST-941-APPLICATION-ATTACK-XSS.conf, rule 941010)");
  }

  /**
   * A site's long tail of .xhtml pages, each read once: different pages from different clean
   * addresses give an entry for every plain .xhtml page, which excuses a page no one read yet
   * and nothing else.
   */
  @Test
  void differentPagesOfOneTypeGiveAnEntryForEveryPlainPageOfIt() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      log.append(line("192.0.2." + i, "/~a/list-" + i + "/list-" + i + ".xhtml"));
    }
    Path out = tuneWithCrs(log, dir.resolve("access.log"));
    assertThat(Files.readString(out)).contains("  - rule: '941130'\n"
        + "    path: '^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/[A-Za-z0-9_~-][A-Za-z0-9._~-]*"
        + "\\.xhtml$'\n    status: [2xx, 304]\n    target: 'path'\n")
        .contains("5 clean sources, in the names of different .xhtml pages, for every plain one");
    Path later = dir.resolve("later.log");
    Files.writeString(later, line("198.51.100.1", "/~a/media-types/media-types.xhtml")
        + line("198.51.100.2", "/~a/%3Csvg%3E.xhtml")
        + line("198.51.100.3", "/~a/a.xhtml?x=%3Ca+xlink:href=javascript:x%3E")
        + line("198.51.100.4", "/~a/b.xhtml").replace(" 200 ", " 404 "));
    Cli.Result e = Cli.run("explain", "--rules", "evident," + CrsRulesTest.CRS4 + "," + out,
        "--attacks-only", "--format", "jsonl", later.toString());
    assertThat(e.out().lines().map(l -> l.substring(0, l.indexOf(','))).toList()).as(e.err())
        .containsExactly("{\"line\":2", "{\"line\":3", "{\"line\":4"); // 404: a probe
  }

  /** A month of rotated logs is read as scan reads it: a folder, .gz, a file it cannot use. */
  @Test
  void readsAFolderOfLogsAndSaysWhatItSkipped() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    for (int i = 1; i <= 5; i++) {
      String text = line("192.0.2." + i, "/docs/search?q=gzip+" + i);
      if (i % 2 == 0) {
        try (var out = new java.util.zip.GZIPOutputStream(
            Files.newOutputStream(logs.resolve("access.log." + i + ".gz")))) {
          out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      } else {
        Files.writeString(logs.resolve("access.log." + i), text);
      }
    }
    Files.writeString(logs.resolve("notes.txt"), "not a log at all\nnor this\n");
    Path rules = dir.resolve("t.yaml");
    Files.writeString(rules, RULES);
    Cli.Result r = Cli.run("tune", "--rules", rules.toString(), logs.toString(),
        dir.resolve("missing.log").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("missing.log: no such file or directory")
        .contains("cannot recognise the log format of " + logs.resolve("notes.txt"))
        .contains("5 attack requests judged; 1 entries proposed;");
    assertThat(r.out()).contains("  - rule: 'T-1'\n    path: '^/docs/search$'\n"
        + "    status: [2xx]\n    arg: 'q'\n");

    Cli.Result e = Cli.run("explain", "--rules", rules.toString(), "--format", "jsonl",
        logs.resolve("access.log.1").toString(), logs.resolve("access.log.2.gz").toString());
    assertThat(e.out().lines().toList()).hasSize(2)
        .anySatisfy(l -> assertThat(l).startsWith("{\"file\":\"" + logs.resolve("access.log.2.gz")
            + "\",\"line\":1,\"attack\":true"));
  }

  /**
   * The safety of tuning, on a month whose attacks are known: at paranoia level 2 CRS flags much
   * of the generated benign traffic (JSON carts, search terms, OAuth tokens); the entries tune
   * proposes take those away and leave every request that is an attack at level 1, where
   * the end-to-end test shows the counts are exactly the generator's.
   */
  @Test
  void onAGeneratedMonthTheEntriesLeaveEveryAttack() throws Exception {
    Path log = dir.resolve("month.log");
    try (var out = Files.newBufferedWriter(log)) {
      new org.evident.cli.demo.TrafficGenerator(7, java.time.YearMonth.of(2013, 2), null, 0.03,
          "+0000").write(30_000, out);
    }
    Path tuned = dir.resolve("tuned.yaml");
    Cli.Result t = Cli.run("tune", "--paranoia", "2", "--rules", "evident," + CrsRulesTest.CRS4,
        log.toString(), "-o", tuned.toString());
    assertThat(t.code()).as(t.err()).isZero();
    java.util.Set<String> level1 = attackLines("1", "evident," + CrsRulesTest.CRS4, log);
    java.util.Set<String> level2 = attackLines("2", "evident," + CrsRulesTest.CRS4, log);
    java.util.Set<String> tunedLevel2 = attackLines("2", "evident," + CrsRulesTest.CRS4 + ","
        + tuned, log);
    String proposed = Files.readString(tuned);
    assertThat(level2.size()).as("level 2 flags benign traffic here").isGreaterThan(
        level1.size() * 3 / 2);
    assertThat(tunedLevel2).as(proposed).containsAll(level1);
    assertThat(level2).containsAll(tunedLevel2);
    assertThat(tunedLevel2.size()).as(proposed).isLessThan(level2.size());
    // the generator's carts are one JSON text sent from many addresses: free text only because
    // those addresses browse the shop too, as a botnet's do not
    assertThat(proposed).contains("path: '^/api/cart$'");
  }

  private static java.util.Set<String> attackLines(String paranoia, String rules, Path log) {
    Cli.Result e = Cli.run("explain", "--paranoia", paranoia, "--rules", rules, "--attacks-only",
        "--format", "jsonl", log.toString());
    assertThat(e.code()).as(e.err()).isZero();
    java.util.Set<String> lines = new java.util.HashSet<>();
    for (String l : e.out().split("\n")) {
      if (l.contains("\"attack\":true")) {
        lines.add(l.substring(0, l.indexOf(',')));
      }
    }
    return lines;
  }

  /**
   * Evidence short of --min-sources is shown commented out, with what it lacked: the file
   * excuses nothing until the user uncomments an entry, which then works as a proposal does.
   */
  @Test
  void weakerEvidenceIsShownCommentedOut() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      log.append(line("192.0.2." + i, "/docs/search?q=gzip+" + i));
    }
    Path f = dir.resolve("three.log");
    Cli.Result r = tune(log, f);
    assertThat(r.err()).contains("0 entries proposed, 1 with weaker evidence shown commented"
        + " out;");
    Path out = dir.resolve("tuned.yaml");
    String yaml = Files.readString(out);
    assertThat(yaml).contains("allow: []\n#\n# Weaker evidence, not proposed:")
        .contains("#  # T-1 (cmdi, ")
        .contains(": 3 requests, 3 clean sources; only 3 clean sources, proposed with"
            + " --min-sources 3; matched 'gzip 1'")
        .contains("#  - rule: 'T-1'\n#    path: '^/docs/search$'\n#    status: [2xx]\n"
            + "#    arg: 'q'\n");
    String rules = dir.resolve("t.yaml").toString();
    Cli.Result before = Cli.run("explain", "--rules", rules + "," + out, "--attacks-only",
        "--format", "jsonl", f.toString());
    assertThat(before.out().lines()).as(before.err()).hasSize(3);
    // uncommented, the entry excuses the three searches
    Files.writeString(out, yaml.replace("allow: []", "allow:").replace("#  - ", "  - ")
        .replace("#    ", "    "));
    Cli.Result after = Cli.run("explain", "--rules", rules + "," + out, "--attacks-only",
        "--format", "jsonl", f.toString());
    assertThat(after.code()).as(after.err()).isZero();
    assertThat(after.out()).isEmpty();
    // with --min-sources 3 it is proposed, and nothing is weaker
    Cli.Result three = Cli.run("tune", "--rules", rules, "--min-sources", "3", f.toString());
    assertThat(three.out()).contains("  - rule: 'T-1'").doesNotContain("Weaker");
  }

  @Test
  void nothingToProposeIsStillARuleFileAndBadFlagsAreOneLine() throws Exception {
    Path f = dir.resolve("quiet.log");
    Files.writeString(f, line("192.0.2.1", "/docs/search?q=hello"));
    Cli.Result r = Cli.run("tune", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("allow: []").contains("pack: tuned");
    Path tuned = dir.resolve("empty.yaml");
    Files.writeString(tuned, r.out());
    assertThat(Cli.run("explain", "--rules", "evident," + tuned, f.toString()).code()).isZero();

    Cli.Result bad = Cli.run("tune", "--min-sources", "1", f.toString());
    assertThat(bad.code()).as("a bad option value is bad usage").isEqualTo(2);
    assertThat(bad.err().lines().findFirst()).hasValue("evident: --min-sources must be at least 2");
    Cli.Result missing = Cli.run("tune", dir.resolve("nope.log").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no such file").doesNotContain("Exception");
  }
}
