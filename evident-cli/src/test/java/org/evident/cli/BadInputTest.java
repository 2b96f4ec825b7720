package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken input: the scan keeps every good line and counts the rest by reason. */
class BadInputTest {
  @TempDir
  Path dir;

  static final String GOOD = "192.0.2.1 - - [01/Feb/2013:00:00:00 +0000] \"GET /?id=1%27%20or"
      + "%20%271%27=%271 HTTP/1.1\" 200 1 \"-\" \"ua\"\n";
  static final String BENIGN = "192.0.2.2 - - [01/Feb/2013:00:00:01 +0000] \"GET / HTTP/1.1\""
      + " 200 1 \"-\" \"ua\"\n";

  Cli.Result scan(String... paths) {
    String[] args = new String[paths.length + 5];
    args[0] = "scan";
    args[1] = "--no-geo";
    args[2] = "-q";
    args[3] = "--db";
    args[4] = dir.resolve("t.duckdb").toString();
    System.arraycopy(paths, 0, args, 5, paths.length);
    return Cli.run(args);
  }

  @Test
  void mixedGarbageIsCountedAndGoodLinesKept() throws Exception {
    Path f = dir.resolve("mixed.log");
    try (var out = Files.newOutputStream(f)) {
      out.write((GOOD + BENIGN).getBytes(StandardCharsets.UTF_8));
      out.write(new byte[] {0, 1, 2, (byte) 0xff, '\n'});                  // binary
      out.write("192.0.2.3 - - [01/Feb/2013:00:00:02 +0000] \"GET /caf\u00e9".getBytes(
          StandardCharsets.ISO_8859_1));                                     // invalid UTF-8
      out.write(" HTTP/1.1\" 200 1 \"-\" \"ua\"\n".getBytes(StandardCharsets.UTF_8));
      out.write(("x".repeat(1 << 20) + "\n").getBytes(StandardCharsets.UTF_8));  // 1 MB line
      out.write("192.0.2.4 - - [01/Feb/2013:00:00:03 +0000] \"GET /trunc\n".getBytes(
          StandardCharsets.UTF_8));                                          // truncated
      out.write(("{\"remote_addr\":\"192.0.2.5\"}\n\n").getBytes(StandardCharsets.UTF_8));
      out.write((GOOD).getBytes(StandardCharsets.UTF_8));
    }
    Cli.Result r = scan(f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("4 requests", "2 attack requests")
        .contains("binary 1", "line-too-long 1", "unparseable 2", "empty 1")
        .contains("1 line was not valid UTF-8; it was read byte for byte");
  }

  /**
   * A UTF-8 byte order mark, at a file's top (Windows tools, IIS) or where {@code cat} joined two
   * such files, is not part of the line's text: the first client address stays 192.0.2.1 (a
   * documentation address, one source), a W3C log's first directive is read, and the line's
   * hash, stored for the evidence, is still of its bytes as written.
   */
  @Test
  void aByteOrderMarkIsNotText() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    Path combined = dir.resolve("bom.log");
    try (var out = Files.newOutputStream(combined)) {
      out.write(bom);
      out.write(GOOD.getBytes(StandardCharsets.UTF_8));
      out.write(bom);
      out.write(GOOD.replace("00:00:00", "00:00:05").getBytes(StandardCharsets.UTF_8));
    }
    Path iis = dir.resolve("iis-bom.log");
    try (var out = Files.newOutputStream(iis)) {
      out.write(bom);
      out.write(("#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time"
          + " c-ip cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)\r\n2013-02-01"
          + " 00:00:00 192.0.2.9 GET /.git/config - 404 curl\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    Cli.Result r = scan(combined.toString(), iis.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("5 lines, 3 requests, 3 attack requests")
        .doesNotContain("Skipped");
    String db = dir.resolve("t.duckdb").toString();
    assertThat(Cli.run("sql", "--db", db, "--format", "csv", "SELECT src_ip, ip_scope, count(*)"
        + " AS n FROM attacks GROUP BY ALL ORDER BY 1").out())
        .isEqualTo("src_ip,ip_scope,n\r\n192.0.2.1,documentation,2\r\n"
            + "192.0.2.9,documentation,1\r\n");
    String first = java.util.HexFormat.of().formatHex(java.security.MessageDigest
        .getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(Files.readAllBytes(combined),
            0, bom.length + GOOD.length() - 1)));
    assertThat(Cli.run("sql", "--db", db, "--format", "csv", "SELECT line_sha256 FROM attacks"
        + " WHERE line_no = 1 AND source_file LIKE '%bom.log'").out())
        .isEqualTo("line_sha256\r\n" + first + "\r\n");
  }

  /**
   * A line over the limit (256 KiB by default) that fits the 1 MiB read buffer whole, newline
   * included, is skipped as one that does not: it once went through as a request, or not,
   * depending on where the buffer's edge fell.
   */
  @Test
  void aLineOverTheLimitIsSkippedEvenWhenItFitsTheReadBuffer() throws Exception {
    Path f = dir.resolve("long.log");
    String longRequest = BENIGN.replace("GET / ", "GET /?q=" + "x".repeat(300 * 1024) + " ");
    Files.writeString(f, BENIGN + longRequest + GOOD, StandardCharsets.UTF_8);
    Cli.Result r = scan(f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("3 lines", "2 requests", "1 attack request", "line-too-long 1");
  }

  /**
   * A skipped line has no time or site of its own: it counts in the month and site of the
   * request before it (or after it, first in its batch), and lines with no request near them in
   * the month reports of their log's site. Reports once counted every skipped line of the
   * database in every month and site.
   */
  @Test
  void skippedLinesCountInTheMonthAndSiteOfTheRequestBeforeThem() throws Exception {
    String march = BENIGN.replace("01/Feb/2013", "03/Mar/2013");
    Path log = dir.resolve("shop.log");
    Files.writeString(log, "garbage before the first request\n" + BENIGN + "feb 1\nfeb 2\n"
        + march + "mar 1\n\n");
    Path other = dir.resolve("other.log");
    Files.writeString(other, "not a log line at all\nnor this\n");
    Cli.Result r = scan("--site", "shop.example", log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Cli.Result r2 = scan("--site", "other.example", other.toString());
    assertThat(r2.code()).as("nothing could be read").isEqualTo(1);
    assertThat(skipped("2013-02", null))
        .isEqualTo("{\"unparseable\":3,\"unknown-format\":2}"); // with other.log's, undated
    assertThat(skipped("2013-02", "shop.example")).isEqualTo("{\"unparseable\":3}");
    assertThat(skipped("2013-03", "shop.example"))
        .isEqualTo("{\"empty\":1,\"unparseable\":1}");
    assertThat(skipped("2013-03", null))
        .isEqualTo("{\"unknown-format\":2,\"empty\":1,\"unparseable\":1}");
  }

  /**
   * A run of garbage longer than a batch of lines (zeros a crash left in a log) has no request
   * in its batch to date it: it counts where the request before it was, not in every month.
   */
  @Test
  void aBatchOfGarbageCountsWhereTheLogWas() throws Exception {
    String march = BENIGN.replace("01/Feb/2013", "03/Mar/2013");
    Path log = dir.resolve("crashed.log");
    Files.writeString(log, BENIGN + "\u0000\u0000 zeros\n".repeat(9_000) + march);
    Cli.Result r = scan("--site", "shop.example", log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 requests");
    // batches of 4,096 lines: the first ends in garbage (February, the request before it),
    // the second is all garbage, the third begins with it (March, the request after it)
    long inFeb = total(skipped("2013-02", "shop.example"));
    long inMar = total(skipped("2013-03", "shop.example"));
    assertThat(inFeb + inMar).as("each line counted once").isEqualTo(9_000);
    assertThat(inFeb).isEqualTo(4_095 + 4_096);
    assertThat(inMar).isEqualTo(9_000 - 4_095 - 4_096);
  }

  /**
   * Garbage at the top of a log, longer than a batch, is counted where the first request after
   * it is: it was once undated, and counted again in every month of the site.
   */
  @Test
  void garbageBeforeTheFirstRequestCountsWhereThatRequestIs() throws Exception {
    String march = BENIGN.replace("01/Feb/2013", "03/Mar/2013");
    String april = BENIGN.replace("01/Feb/2013", "04/Apr/2013");
    Path log = dir.resolve("crashed-top.log");
    Files.writeString(log, "\u0000\u0000 zeros\n".repeat(9_000) + march + april);
    Cli.Result r = scan("--site", "shop.example", "--format", "combined", log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 requests");
    assertThat(total(skipped("2013-03", "shop.example"))).isEqualTo(9_000);
    assertThat(total(skipped("2013-04", "shop.example"))).isZero();
  }

  /** The lines a report's {@code skipped_lines} counts, whatever the reason. */
  private static long total(String skippedLines) throws Exception {
    long n = 0;
    for (com.fasterxml.jackson.databind.JsonNode v : new com.fasterxml.jackson.databind
        .ObjectMapper().readTree(skippedLines)) {
      n += v.asLong();
    }
    return n;
  }

  private String skipped(String month, String site) throws Exception {
    Cli.Result r = site == null
        ? Cli.run("report", "--db", dir.resolve("t.duckdb").toString(), "--month", month,
            "--format", "json")
        : Cli.run("report", "--db", dir.resolve("t.duckdb").toString(), "--month", month,
            "--site", site, "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out())
        .get("skipped_lines").toString();
  }

  /**
   * A log scanned again once it has grown is read on as it was read: its new lines alone may be
   * too few to tell the format by, and an IIS log's #Fields line is at its top, which the next
   * scan never reads. Its new lines were once all "unknown-format", and lost for good.
   */
  @Test
  void aGrownLogIsReadOnInItsFormatAndFields() throws Exception {
    Path w3c = dir.resolve("iis.log");
    Files.writeString(w3c, "#Software: Microsoft Internet Information Services 10.0\n"
        + "#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status"
        + " cs(User-Agent)\n"
        + "2013-02-01 00:00:01 198.51.100.7 GET /index.html - 200 Mozilla/5.0\n");
    Files.setLastModifiedTime(w3c, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minusSeconds(3600)));
    assertThat(scan(w3c.toString()).out()).contains(" 1 request,");
    Files.writeString(w3c, "2013-02-01 00:00:03 198.51.100.9 GET /item"
        + " id=1+union+select+1,2 200 Mozilla/5.0\n", java.nio.file.StandardOpenOption.APPEND);
    Cli.Result again = scan(w3c.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("1 request, 1 attack request (")
        .doesNotContain("unknown-format");
    assertThat(again.err()).doesNotContain("format not recognised");

    Path combined = dir.resolve("shop.log");
    Files.writeString(combined, GOOD + BENIGN);
    assertThat(scan(combined.toString()).out()).contains("2 requests");
    Files.writeString(combined, "a line mangled by a proxy\nand another\n",
        java.nio.file.StandardOpenOption.APPEND);
    Cli.Result grown = scan(combined.toString()); // nothing to tell a format by: read as before
    assertThat(grown.out()).contains("unparseable 2").doesNotContain("unknown-format");

    // a format forced wrongly once is not kept when it reads none of the new lines
    Path wrong = dir.resolve("wrong.log");
    Files.writeString(wrong, GOOD);
    assertThat(scan("--format", "json", wrong.toString()).out()).contains("0 requests");
    Files.writeString(wrong, BENIGN, java.nio.file.StandardOpenOption.APPEND);
    Cli.Result told = Cli.run("scan", "--no-geo", "--db", dir.resolve("t.duckdb").toString(),
        wrong.toString());
    assertThat(told.out()).contains(" 1 request,");
    assertThat(told.err()).contains("format combined (1 of 1 sample"
        + " lines parsed; json, as at the last scan, parses none of them)");
  }

  /**
   * logrotate's usual scheme renames access.log, then compresses it a rotation later: the
   * compressed file is the log scanned before, under another name, and adds only what was
   * written to it after that scan. It was once counted a second time in full.
   */
  @Test
  void aLogCompressedByItsRotationAddsOnlyWhatWasNotScanned() throws Exception {
    StringBuilder first = new StringBuilder();
    StringBuilder later = new StringBuilder();
    for (int i = 0; i < 100; i++) { // over 4 KiB: the compressed file is known by its text
      first.append(BENIGN.replace("GET /", "GET /a" + i));
      later.append(BENIGN.replace("GET /", "GET /b" + i));
    }
    Path log = dir.resolve("access.log");
    Files.writeString(log, first);
    Files.setLastModifiedTime(log, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minusSeconds(3600)));
    assertThat(scan(log.toString()).out()).contains("100 requests");
    Files.writeString(log, later, java.nio.file.StandardOpenOption.APPEND);
    Path rotated = dir.resolve("access.log.2.gz");
    try (var out = new GZIPOutputStream(Files.newOutputStream(rotated))) {
      out.write(Files.readAllBytes(log));
    }
    Files.delete(log);
    Cli.Result r = scan(rotated.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("100 requests");
    assertThat(scan(rotated.toString()).out()).contains("1 unchanged");
    Cli.Result total = Cli.run("sql", "--db", dir.resolve("t.duckdb").toString(),
        "SELECT sum(requests) AS total FROM traffic");
    assertThat(total.out()).contains("200");

    // a log and its compressed copy in one scan: the copy waits for the log's commit, and adds
    // nothing
    Path live = dir.resolve("other.log");
    Files.writeString(live, later.toString().replace("GET /b", "GET /c"));
    Path copy = dir.resolve("other.log.1.gz");
    try (var out = new GZIPOutputStream(Files.newOutputStream(copy))) {
      out.write(Files.readAllBytes(live));
    }
    Cli.Result both = scan(live.toString(), copy.toString());
    assertThat(both.out()).contains("100 requests");
    assertThat(Cli.run("sql", "--db", dir.resolve("t.duckdb").toString(),
        "SELECT sum(requests) AS total FROM traffic").out()).contains("300");
  }

  @Test
  void missingPathsEmptyFilesAndGzip() throws Exception {
    Path empty = dir.resolve("empty.log");
    Files.createFile(empty);
    Path gz = dir.resolve("old.log.gz");
    try (var out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write((GOOD + BENIGN).getBytes(StandardCharsets.UTF_8));
    }
    Cli.Result r = scan(dir.resolve("missing.log").toString(), empty.toString(), gz.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("cannot read " + dir.resolve("missing.log")
        + ": no such file or directory").doesNotContain("Exception");
    assertThat(r.out()).contains("2 requests", "1 attack request (");
  }

  /**
   * logrotate compresses with gzip, xz, zstd or bzip2 as configured, under any name: each is read
   * by its first bytes, two members, frames or streams one after the other too (as cat joins
   * them), and the file's text is its fingerprint, as for gzip. A bzip2 file cut short is read
   * up to the break, which is said in one sentence.
   */
  @Test
  void logsCompressedWithXzZstdOrBzip2AreReadByTheirFirstBytes() throws Exception {
    String day1 = GOOD + BENIGN;
    String day2 = GOOD.replace("192.0.2.1", "192.0.2.21") + BENIGN.replace("192.0.2.2",
        "192.0.2.22");
    Path xz = dir.resolve("access.log-20130201");
    try (var out = new org.tukaani.xz.XZOutputStream(Files.newOutputStream(xz),
        new org.tukaani.xz.LZMA2Options())) {
      out.write(day1.getBytes(StandardCharsets.UTF_8));
    }
    java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
    for (String part : new String[] {day2, GOOD.replace("192.0.2.1", "192.0.2.23")}) {
      frames.write(com.github.luben.zstd.Zstd.compress(part.getBytes(StandardCharsets.UTF_8)));
    }
    Path zst = dir.resolve("access.log.2");
    Files.write(zst, frames.toByteArray());
    Path bz2 = dir.resolve("access.log.3");
    java.io.ByteArrayOutputStream streams = new java.io.ByteArrayOutputStream();
    for (String part : new String[] {GOOD.replace("192.0.2.1", "192.0.2.31"),
        BENIGN.replace("192.0.2.2", "192.0.2.32")}) {
      streams.write(bzip2(part));
    }
    Files.write(bz2, streams.toByteArray());
    Cli.Result r = scan(xz.toString(), zst.toString(), bz2.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("7 requests", "4 attack requests").doesNotContain("Skipped");
    assertThat(r.err()).doesNotContain("cannot read", "Exception");
    assertThat(scan(xz.toString(), zst.toString(), bz2.toString()).out())
        .contains("(3 unchanged)");
    // cut short: what came before the break is kept, the break is said
    Path cut = dir.resolve("cut.log.bz2");
    StringBuilder many = new StringBuilder(); // several bzip2 blocks of 900 kB
    for (int i = 0; i < 20_000; i++) {
      many.append(GOOD.replace("id=1", "id=" + i));
    }
    byte[] whole = bzip2(many.toString());
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    Cli.Result c = scan(cut.toString());
    assertThat(c.err()).contains("evident: " + cut + ": could not be read after line ",
        "; the lines before it were scanned").doesNotContain("Exception", "internal error");
  }

  /**
   * HAProxy writes its host's local time: --time-zone reads it so, the zone is stored with the
   * format, and the file's new lines are read the same way on the next scan without it.
   */
  @Test
  void localTimesAreReadInTheZoneGivenAndStayedSo() throws Exception {
    String line = "192.0.2.1:1 [10/Feb/2013:10:00:0%d.000] fe be/s 1/2/3/4/5 200 1 - - ----"
        + " 1/1/1/1/0 0/0 \"GET /?id=1%%27%%20or%%201=1-- HTTP/1.1\"\n";
    Path log = dir.resolve("haproxy.log");
    Files.writeString(log, String.format(line, 1));
    Cli.Result first = Cli.run("scan", "--no-geo", "--db", dir.resolve("t.duckdb").toString(),
        "--time-zone", "Europe/Paris", log.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err()).contains("format haproxy@Europe/Paris");
    Files.writeString(log, String.format(line, 2), java.nio.file.StandardOpenOption.APPEND);
    Cli.Result again = scan(log.toString());
    assertThat(again.code()).as(again.err()).isZero();
    Cli.Result times = Cli.run("sql", "--db", dir.resolve("t.duckdb").toString(),
        "SELECT strftime(ts, '%H:%M:%S') AS t FROM attacks ORDER BY ts");
    assertThat(times.out()).as(times.err()).contains("09:00:01", "09:00:02")
        .doesNotContain("10:00:0");
    Cli.Result bad = Cli.run("scan", "--no-geo", "--db", dir.resolve("t.duckdb").toString(),
        "--time-zone", "Mars/Base", log.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown time zone 'Mars/Base'").doesNotContain("Exception");
  }

  private static byte[] bzip2(String text) throws java.io.IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (var out = new org.apache.commons.compress.compressors.bzip2
        .BZip2CompressorOutputStream(b)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  /**
   * A compressed log cut short (a rotation copied half-way, a partial download): every line
   * before the break is scanned and stored, the break is said in one line, and the next log is
   * scanned as if nothing had happened. Such errors were once counted as problems but never
   * printed, and the chunk being read was lost with them.
   */
  @Test
  void aLogThatBreaksOffKeepsEveryLineBeforeTheBreak() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < 12_000; i++) {
        out.write(GOOD.replace("id=1", "id=" + i).getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] all = bytes.toByteArray();
    byte[] cut = java.util.Arrays.copyOf(all, all.length * 3 / 4);
    Path broken = dir.resolve("broken.log.gz");
    Files.write(broken, cut);
    long whole = 0; // complete lines before the break, as the JDK reads them
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(cut))) {
      for (int b = in.read(); b >= 0; b = in.read()) {
        whole += b == '\n' ? 1 : 0;
      }
    } catch (java.io.EOFException expected) {
      // the break
    }
    assertThat(whole).isBetween(1_000L, 11_999L);
    Path good = dir.resolve("good.log");
    Files.writeString(good, GOOD + BENIGN);
    Cli.Result r = scan(broken.toString(), good.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("evident: " + broken + ": could not be read after line ",
        "; the lines before it were scanned").doesNotContain("internal error");
    Cli.Result stored = Cli.run("sql", "--db", dir.resolve("t.duckdb").toString(),
        "SELECT count(*) FILTER (WHERE source_file = '" + broken + "') || '/'"
            + " || count(*) FILTER (WHERE source_file = '" + good + "') AS stored FROM attacks"
            + " WHERE rule_ids NOT LIKE 'EV-B-%'");
    assertThat(stored.out()).as("attacks stored from the broken and the good log")
        .contains(whole + "/1");
    // the report names the break: the rest of the log is unknown, so no line count can say it
    Cli.Result report = Cli.run("report", "--db", dir.resolve("t.duckdb").toString(),
        "--month", "2013-02", "--format", "json");
    assertThat(report.code()).as(report.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode errors = new com.fasterxml.jackson.databind
        .ObjectMapper().readTree(report.out()).get("read_errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("source").asText()).isEqualTo(broken.toString());
    assertThat(errors.get(0).get("after_line").asLong()).isEqualTo(whole);
    assertThat(errors.get(0).get("reason").asText()).isNotEmpty();
    // a gzip header over data that is not deflate breaks off before the first line
    Path notGzip = dir.resolve("garbled.log.gz");
    Files.write(notGzip, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8});
    Cli.Result again = scan(notGzip.toString());
    assertThat(again.err()).contains("evident: " + notGzip + ": could not be read (")
        .doesNotContain("after line");
    assertThat(again.code()).as("nothing could be read").isEqualTo(1);
    Cli.Result text = Cli.run("report", "--db", dir.resolve("t.duckdb").toString(),
        "--month", "2013-02");
    assertThat(text.out()).contains("Broke off while read: " + broken + " after line "
        + String.format(java.util.Locale.ROOT, "%,d", whole),
        "Broke off while read: " + notGzip + " after line 0");
    // a break is named in the month and site of the last request read before it; one that came
    // before any request, in every month of its log's site
    Path march = dir.resolve("march.log");
    Files.writeString(march, BENIGN.replace("Feb", "Mar"));
    assertThat(scan(march.toString()).code()).isZero();
    assertThat(Cli.run("report", "--db", dir.resolve("t.duckdb").toString(), "--month",
        "2013-03").out()).contains("Broke off while read: " + notGzip + " after line 0")
        .doesNotContain("Broke off while read: " + broken);
    assertThat(Cli.run("report", "--db", dir.resolve("t.duckdb").toString(), "--month",
        "2013-02", "--site", "good").out()).doesNotContain("Broke off");
    // the .gz was still being written: once whole, the next scan reads on from the line the
    // break cut (left unread), every line is stored once, and the break is no longer reported
    Files.write(broken, all);
    Cli.Result whole2 = scan(broken.toString());
    assertThat(whole2.code()).as(whole2.err()).isZero();
    assertThat(whole2.out()).contains(String.format(java.util.Locale.ROOT, "%,d lines",
        12_000 - whole)).doesNotContain("Skipped");
    assertThat(Cli.run("sql", "--db", dir.resolve("t.duckdb").toString(), "SELECT count(*)"
        + " AS n, count(DISTINCT line_no) AS d FROM attacks WHERE source_file = '" + broken
        + "' AND rule_ids NOT LIKE 'EV-B-%'").out()).contains("12000  12000");
    assertThat(Cli.run("report", "--db", dir.resolve("t.duckdb").toString(), "--month",
        "2013-02").out()).doesNotContain("Broke off while read: " + broken);
  }

  /**
   * The commit that ends a log is written while the next log is read: a log named twice, or a
   * copy of it, must still be recognised, though its commit may not be done yet.
   */
  @Test
  void aLogAndItsCopyInOneScanAreStoredOnce() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 100; i++) { // over 4 KiB: a copy is known by its first 4 KiB
      log.append(GOOD.replace("id=1", "id=" + i)).append(BENIGN);
    }
    Path a = dir.resolve("a.log");
    Files.writeString(a, log);
    Path copy = dir.resolve("copy.log");
    Files.writeString(copy, log);
    Path other = dir.resolve("other.log");
    Files.writeString(other, GOOD);
    Cli.Result r = Cli.run("scan", "--no-geo", "--db", dir.resolve("t.duckdb").toString(),
        a.toString(), copy.toString(), a.toString(), other.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Scanned 2 sources (2 unchanged)", "101 attack requests");
    assertThat(r.err()).contains(copy + ": already scanned, nothing new");
    Cli.Result stored = Cli.run("sql", "--db", dir.resolve("t.duckdb").toString(),
        "SELECT count(*) || '/' || count(DISTINCT source_id) AS stored FROM attacks"
            + " WHERE rule_ids NOT LIKE 'EV-B-%'");
    assertThat(stored.out()).contains("101/2");
  }

  /**
   * A log scanned while the server writes it (a scan every minute from cron) can end half-way
   * through a line. That line is left for the next scan, which reads it whole; it was once read
   * as two broken halves, one in each scan, and the request lost.
   */
  @Test
  void aLineStillBeingWrittenIsLeftForTheNextScan() throws Exception {
    Path log = dir.resolve("live.log");
    String fourth = GOOD.replace("192.0.2.1", "192.0.2.44");
    Files.writeString(log, BENIGN + BENIGN + BENIGN + fourth.substring(0, 60));
    Cli.Result first = Cli.run("scan", "--no-geo", "--db", dir.resolve("t.duckdb").toString(),
        log.toString()); // not quiet: the notes are shown
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("3 requests").doesNotContain("Skipped");
    assertThat(first.err()).contains(log + ": the last line has no line ending yet (60 bytes,"
        + " still being written?); it is left for the next scan");
    Files.writeString(log, fourth.substring(60) + BENIGN, java.nio.file.StandardOpenOption.APPEND);
    Cli.Result grown = scan(log.toString());
    assertThat(grown.out()).contains("2 requests", "1 attack request (").doesNotContain("Skipped");
    // a last line without its ending in a file not written for a while: complete, read as it is
    Files.writeString(log, BENIGN.strip(), java.nio.file.StandardOpenOption.APPEND);
    Cli.Result held = scan(log.toString());
    assertThat(held.out()).contains("0 requests");
    Files.setLastModifiedTime(log, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(java.time.Duration.ofHours(1))));
    Cli.Result finished = scan(log.toString());
    assertThat(finished.out()).contains(" 1 request,").doesNotContain("Skipped");
    assertThat(scan(log.toString()).out()).contains("(1 unchanged)");
    Cli.Result total = Cli.run("sql", "--db", dir.resolve("t.duckdb").toString(),
        "SELECT sum(requests) || ' requests' AS total FROM traffic");
    assertThat(total.out()).contains("6 requests");
  }

  @Test
  void nothingReadableFailsWithOneClearLine() throws Exception {
    Path f = dir.resolve("access.log");
    Files.writeString(f, GOOD + BENIGN);
    Cli.Result forced = scan("--format", "json", f.toString());
    assertThat(forced.code()).isEqualTo(1);
    assertThat(forced.err()).contains("nothing could be read");
    Cli.Result missing = scan(dir.resolve("nope").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("nothing to scan").doesNotContain("at org.");
    Cli.Result badFlag = scan("--format", "squid", f.toString());
    assertThat(badFlag.code()).as("a bad option value is bad usage").isEqualTo(2);
    assertThat(badFlag.err()).contains("unknown log format 'squid'");
    Cli.Result badOption = Cli.run("scan", "--frobnicate");
    assertThat(badOption.code()).isEqualTo(2);
    Cli.Result noDb = Cli.run("report", "--db", dir.resolve("none.duckdb").toString());
    assertThat(noDb.code()).isEqualTo(1);
    assertThat(noDb.err()).contains("no database at");
  }

  @Test
  void aFolderHoldingTheDatabaseIsScannedWithoutIt() throws Exception {
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("a.log"), GOOD + BENIGN);
    String db = logs.resolve("t.duckdb").toString();
    assertThat(Cli.run("scan", "--no-geo", "-q", "--db", db, logs.toString()).code()).isZero();
    Files.writeString(logs.resolve("b.log"), BENIGN);
    Cli.Result again = Cli.run("scan", "--no-geo", "-q", "--db", db, logs.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("Scanned 1 source (1 unchanged): 1 line,")
        .doesNotContain("Skipped");
  }

  @Test
  void stdinIsReadButNotRemembered() throws Exception {
    java.io.InputStream old = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream((GOOD + BENIGN).getBytes(
          StandardCharsets.UTF_8)));
      Cli.Result r = scan("-");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("2 requests", "1 attack request (");
      // compressed text on standard input, as from cat access.log.2.gz, is decompressed
      java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
      try (var out = new GZIPOutputStream(gz)) {
        out.write((GOOD + BENIGN + BENIGN).getBytes(StandardCharsets.UTF_8));
      }
      System.setIn(new java.io.ByteArrayInputStream(gz.toByteArray()));
      Cli.Result zipped = scan("-");
      assertThat(zipped.code()).as(zipped.err()).isZero();
      assertThat(zipped.out()).contains("3 requests", "1 attack request (");
      System.setIn(new java.io.ByteArrayInputStream(bzip2(GOOD + BENIGN)));
      Cli.Result bzipped = scan("-");
      assertThat(bzipped.code()).as(bzipped.err()).isZero();
      assertThat(bzipped.out()).contains("2 requests", "1 attack request (");
    } finally {
      System.setIn(old);
    }
  }
}
