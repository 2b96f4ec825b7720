package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log scanned on a schedule while it grows and is rotated as logrotate does (renamed, then
 * compressed a rotation later) counts what one scan of the whole log counts: no line twice,
 * none lost.
 */
class ScheduledScansTest {
  @TempDir
  Path dir;

  @Test
  void scansOfAGrowingRotatedLogCountWhatOneScanCounts() throws Exception {
    Path whole = dir.resolve("whole/shop.example-access.log");
    Files.createDirectories(whole.getParent());
    assertThat(Cli.run("generate", "--lines", "12000", "--seed", "5", "-o", whole.toString())
        .code()).isZero();
    old(whole);
    Path once = dir.resolve("once.duckdb");
    assertThat(Cli.run("scan", "--no-geo", "-q", "--no-behaviour", "--db", once.toString(),
        whole.toString()).code()).isZero();

    List<String> lines = Files.readAllLines(whole, StandardCharsets.ISO_8859_1);
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    Path live = logs.resolve("shop.example-access.log");
    Path first = logs.resolve("shop.example-access.log.1");
    Path second = logs.resolve("shop.example-access.log.2.gz");
    Path db = dir.resolve("scheduled.duckdb");
    // day 1: two scans of the growing log
    append(live, lines.subList(0, 2_000));
    scan(db, logs);
    append(live, lines.subList(2_000, 3_500));
    scan(db, logs);
    // rotation: renamed, a new log begins; lines written to the old one just before it
    append(live, lines.subList(3_500, 4_000));
    Files.move(live, first);
    append(live, lines.subList(4_000, 6_000));
    scan(db, logs);
    append(live, lines.subList(6_000, 7_000));
    scan(db, logs);
    // next rotation: the renamed one is compressed, the live one renamed
    append(live, lines.subList(7_000, 8_000));
    try (var out = new GZIPOutputStream(Files.newOutputStream(second))) {
      out.write(Files.readAllBytes(first));
    }
    Files.delete(first);
    Files.move(live, first);
    append(live, lines.subList(8_000, lines.size()));
    scan(db, logs);
    scan(db, logs); // nothing new

    String sql = "SELECT (SELECT sum(requests) FROM traffic) AS requests,"
        + " (SELECT count(*) FROM attacks) AS attacks,"
        + " (SELECT string_agg(class || '=' || n, ' ' ORDER BY class) FROM"
        + " (SELECT class, count(*) AS n FROM attacks GROUP BY class)) AS classes";
    String expected = Cli.run("sql", "--db", once.toString(), sql).out();
    assertThat(expected).contains("12000");
    assertThat(Cli.run("sql", "--db", db.toString(), sql).out()).isEqualTo(expected);
    assertThat(Cli.run("sql", "--db", db.toString(), "SELECT count(*) - count(DISTINCT"
        + " raw_line) AS repeated FROM attacks").out()).contains("\n0");
  }

  /**
   * A brute force that logrotate cut in two (six failed logins before the rotation, six after,
   * in the new file) is found, as in one scan of the whole: the new file's windows go on from
   * where the rotated one's ended, whichever order the files were named in.
   */
  @Test
  void aBurstCutByARotationIsFoundAcrossTheTwoFiles() throws Exception {
    List<String> before = new java.util.ArrayList<>();
    List<String> after = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      before.add(login(i));
      after.add(login(20 + i));
    }
    Path whole = dir.resolve("whole/shop.example-access.log");
    Files.createDirectories(whole.getParent());
    append(whole, before);
    append(whole, after);
    assertThat(bruteForces(dir.resolve("once.duckdb"), whole)).isEqualTo("1");

    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    Path live = logs.resolve("shop.example-access.log");
    Path rotated = logs.resolve("shop.example-access.log.1");
    Path db = dir.resolve("rotated.duckdb");
    append(live, before);
    assertThat(bruteForces(db, logs)).isEqualTo("0");
    Files.move(live, rotated);
    append(live, after);
    Files.setLastModifiedTime(rotated, FileTime.from(Instant.now().minusSeconds(7200)));
    assertThat(bruteForces(db, live, rotated)).as("the new file named first").isEqualTo("1");

    // a scan given the live log only: the new file goes on from where the old one stood
    Path alone = dir.resolve("alone");
    Files.createDirectories(alone);
    Path only = alone.resolve("shop.example-access.log");
    Path db2 = dir.resolve("alone.duckdb");
    append(only, before);
    assertThat(bruteForces(db2, only)).isEqualTo("0");
    Files.move(only, dir.resolve("archived.log"));
    append(only, after);
    assertThat(bruteForces(db2, only)).as("the rotated file taken away").isEqualTo("1");
  }

  private static String login(int second) {
    return String.format("198.51.100.7 - - [01/Feb/2013:10:00:%02d +0000] \"POST /wp-login.php"
        + " HTTP/1.1\" 401 0 \"-\" \"Mozilla/5.0\"", second);
  }

  /** Scans {@code paths} into {@code db}, with the behavioural detectors; its brute forces. */
  private static String bruteForces(Path db, Path... paths) {
    List<String> args = new java.util.ArrayList<>(List.of("scan", "--no-geo", "-q", "--db",
        db.toString()));
    for (Path p : paths) {
      args.add(p.toString());
    }
    Cli.Result r = Cli.run(args.toArray(new String[0]));
    assertThat(r.code()).as(r.err()).isZero();
    String out = Cli.run("sql", "--db", db.toString(),
        "SELECT count(*) AS n FROM attacks WHERE class = 'brute-force'").out();
    return out.lines().skip(2).findFirst().orElse("").strip();
  }

  private static void append(Path log, List<String> lines) throws Exception {
    Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    old(log);
  }

  /** Written an hour ago: a finished write, whose last line is read at once. */
  private static void old(Path f) throws Exception {
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(3600)));
  }

  private static void scan(Path db, Path logs) {
    Cli.Result r = Cli.run("scan", "--no-geo", "-q", "--no-behaviour", "--db", db.toString(),
        logs.toString());
    assertThat(r.code()).as(r.err()).isZero();
  }
}
