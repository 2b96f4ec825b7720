package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behavioural findings end to end: scan, store, report, and --no-behaviour. */
class BehaviourScanTest {
  @TempDir
  Path dir;

  Path log() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 12; i++) { // twelve failed logins in 24 seconds
      b.append(String.format("198.51.100.7 - - [03/Feb/2013:10:00:%02d +0000] \"POST"
          + " /wp-login.php HTTP/1.1\" 200 1200 \"-\" \"Mozilla/5.0\"%n", i * 2));
    }
    for (int i = 0; i < 25; i++) { // twenty-five missing paths in 25 seconds
      b.append(String.format("203.0.113.9 - - [03/Feb/2013:10:01:%02d +0000] \"GET"
          + " /old/page%d.html HTTP/1.1\" 404 200 \"-\" \"Mozilla/5.0\"%n", i, i));
    }
    for (int i = 0; i < 5; i++) { // a benign visitor
      b.append(String.format("192.0.2.44 - - [03/Feb/2013:10:02:%02d +0000] \"GET"
          + " /products HTTP/1.1\" 200 5000 \"-\" \"Mozilla/5.0\"%n", i));
    }
    Path f = dir.resolve("shop.example-access.log");
    Files.writeString(f, b);
    return f;
  }

  @Test
  void findingsAreStoredAsAttacksOfTheirOwnClass() throws Exception {
    Path db = dir.resolve("b.duckdb");
    Cli.Result r = Cli.run("scan", "--no-geo", "-q", "--db", db.toString(), log().toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("0 attack requests", "Behaviour: 2 findings");
    Cli.Result q = Cli.run("sql", "--db", db.toString(), "--format", "csv",
        "SELECT class, src_ip, rule_ids, line_no FROM attacks ORDER BY line_no");
    assertThat(q.out()).contains("brute-force,198.51.100.7,EV-B-001,10",
        "enumeration,203.0.113.9,EV-B-002,32");
    Cli.Result m = Cli.run("sql", "--db", db.toString(), "--format", "csv",
        "SELECT matched FROM attacks WHERE class = 'brute-force'");
    assertThat(m.out()).contains("10 login attempts", "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10");
    Cli.Result rep = Cli.run("report", "--db", db.toString(), "--format", "json");
    assertThat(rep.out()).contains("\"class\" : \"brute-force\"", "\"class\" : \"enumeration\"");
  }

  /**
   * A log scanned every few minutes while it grows: a burst cut in two by a scan's end is still
   * one finding, as the windows are stored with the source and restored by the next scan. Each
   * half alone was below the threshold, and the burst went unseen.
   */
  @Test
  void aBurstSplitBetweenTwoScansIsStillFound() throws Exception {
    Path db = dir.resolve("s.duckdb");
    Path f = dir.resolve("shop.example-access.log");
    String all = Files.readString(log());
    int cut = 0;
    for (int i = 0; i < 6; i++) { // six of the twelve failed logins, then the scan
      cut = all.indexOf('\n', cut) + 1;
    }
    Files.writeString(f, all.substring(0, cut));
    Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minusSeconds(3600)));
    Cli.Result first = Cli.run("scan", "--no-geo", "-q", "--db", db.toString(), f.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).doesNotContain("Behaviour:");
    Files.writeString(f, all.substring(cut), java.nio.file.StandardOpenOption.APPEND);
    Cli.Result second = Cli.run("scan", "--no-geo", "-q", "--db", db.toString(), f.toString());
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("Behaviour: 2 findings");
    Cli.Result m = Cli.run("sql", "--db", db.toString(), "--format", "csv",
        "SELECT matched FROM attacks WHERE class = 'brute-force'");
    assertThat(m.out()).contains("10 login attempts", "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10");
  }

  @Test
  void noBehaviourRunsNone() throws Exception {
    Path db = dir.resolve("n.duckdb");
    Cli.Result r = Cli.run("scan", "--no-geo", "-q", "--no-behaviour", "--db", db.toString(),
        log().toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("Behaviour:");
    assertThat(Cli.run("sql", "--db", db.toString(), "--format", "csv",
        "SELECT count(*) FROM attacks").out()).contains("\n0");
  }
}
