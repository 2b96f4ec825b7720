package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.evident.cli.demo.TrafficGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a scan cuts a log into segments (one commit, one tree head each): after the batch that
 * brings a chunk to 10,000 attacks, but not within the last 4 MiB of a plain file: the commit
 * that ends the file takes the chunk under way and the rest. The cuts follow from the log alone,
 * so a log scanned again gives the same tree heads; a compressed file, whose length is not known
 * ahead, is cut at every 10,000.
 */
class SegmentCutsTest {
  @TempDir
  Path dir;

  @Test
  void theLastChunkOfAPlainFileGoesWithItsEnd() throws Exception {
    Path log = dir.resolve("shop.example-access.log");
    Path gz = dir.resolve("shop.example-access.log.1.gz");
    TrafficGenerator gen = new TrafficGenerator(3, YearMonth.of(2013, 2), null, 1.0, "+0000");
    try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      gen.write(40_000, w);
    }
    try (var out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(log, out);
    }
    assertThat(Files.size(log)).as("the log's size").isBetween(6L << 20, 14L << 20);

    List<String> plain = segments(scan("plain.duckdb", log));
    List<String> again = segments(scan("again.duckdb", log));
    List<String> compressed = segments(scan("gz.duckdb", gz));

    assertThat(again).as("the same log again").isEqualTo(plain);
    // the same cuts, up to the last one made with 4 MiB or more of the file left
    int n = plain.size();
    assertThat(n).isGreaterThanOrEqualTo(2).isLessThan(compressed.size());
    assertThat(plain.subList(0, n - 1)).isEqualTo(compressed.subList(0, n - 1));
    assertThat(firstLine(plain.get(n - 1))).isEqualTo(firstLine(compressed.get(n - 1)));
    assertThat(sum(plain)).isEqualTo(40_000).isEqualTo(sum(compressed));
  }

  private Path scan(String name, Path log) {
    Path db = dir.resolve(name);
    Cli.Result r = Cli.run("scan", "--no-geo", "-q", "--db", db.toString(), log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return db;
  }

  /** Each segment as "first line,size,attack rows". */
  private static List<String> segments(Path db) {
    Cli.Result r = Cli.run("sql", "--db", db.toString(), "--format", "csv", "SELECT"
        + " s.first_line, s.size, (SELECT count(*) FROM attacks a WHERE a.segment = s.seq) AS n"
        + " FROM segments s ORDER BY s.seq");
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().lines().skip(1).toList();
  }

  private static String firstLine(String segment) {
    return segment.substring(0, segment.indexOf(','));
  }

  private static long sum(List<String> segments) {
    return segments.stream().mapToLong(s -> Long.parseLong(s.split(",")[1])).sum();
  }
}
