package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import org.evident.cli.demo.TrafficGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan's results do not depend on how many worker threads judged its batches, nor on which
 * batch a line fell in: the same log scanned on one thread and on three gives the same attack
 * rows, behaviour findings, hourly totals, skipped-line counts and Merkle roots, byte for byte.
 */
class ThreadCountTest {
  @TempDir
  Path dir;

  private String sql(Path db, String query) {
    Cli.Result r = Cli.run("sql", "--db", db.toString(), "--format", "csv", query);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }

  @Test
  void oneThreadAndThreeGiveTheSameResults() throws Exception {
    Path log = dir.resolve("shop.example-access.log");
    TrafficGenerator gen = new TrafficGenerator(7, YearMonth.of(2013, 2), null, 0.2, "+0100");
    try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      gen.write(30_000, w); // seven batches of 4,096 lines and a part
      w.write("not a request\n\n"); // skipped lines, placed by the request before them
      gen.write(3_000, w);
    }
    Path one = dir.resolve("one.duckdb");
    Path three = dir.resolve("three.duckdb");
    for (Path db : new Path[] {one, three}) {
      Cli.Result r = Cli.run("scan", "--no-geo", "-q", "--threads", db == one ? "1" : "3",
          "--db", db.toString(), log.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("33,002 lines", "33,000 requests");
    }
    Cli.Result a = Cli.run("events", "--db", one.toString(), "--format", "jsonl");
    Cli.Result b = Cli.run("events", "--db", three.toString(), "--format", "jsonl");
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.out().lines().count()).as("attack rows").isGreaterThan(5_000);
    assertThat(b.out()).isEqualTo(a.out());
    String[][] queries = {
        {"SELECT seq, first_line, size, root FROM segments ORDER BY seq", "\n1,1,"},
        {"SELECT sum(size) FROM segments", "\n33002"},
        {"SELECT site, hour, requests, attacks FROM traffic ORDER BY site, hour",
            "shop.example,2013-02-"},
        {"SELECT reason, lines, site, hour FROM skipped ORDER BY reason, site, hour",
            "unparseable,1,shop.example,2013-02-"}};
    for (String[] q : queries) {
      assertThat(sql(three, q[0])).as(q[0]).isEqualTo(sql(one, q[0])).contains(q[1]);
    }
  }
}
