package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.YearMonth;
import java.util.HexFormat;
import org.evident.cli.demo.TrafficGenerator;
import org.evident.evidence.Merkle;
import org.evident.evidence.TreeBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commitments end to end: keygen, scans that commit to every line, signed reports, disclosure,
 * and verification of good bundles and of every kind of tampering the issue names.
 */
class EvidenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static Path db;
  static Path key;
  static Path pub;
  static Path disclosure;
  static String oldConfig;

  @BeforeAll
  static void setUp() throws Exception {
    oldConfig = System.getProperty("evident.config.dir");
    // no key store of the machine running the tests is ever consulted
    System.setProperty("evident.config.dir", dir.resolve("empty-config").toString());
    db = dir.resolve("ev.duckdb");
    key = dir.resolve("keys/site.key");
    pub = dir.resolve("keys/site.pub");
    Cli.Result k = Cli.run("keygen", "--key", key.toString());
    assertThat(k.code()).as(k.err()).isZero();
    for (String name : new String[] {"a.example-access.log", "b.example-access.log"}) {
      Path log = dir.resolve(name);
      TrafficGenerator g = new TrafficGenerator(name.hashCode(), YearMonth.of(2013, 2), null,
          0.05, "+0000");
      try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        g.write(3_000, w);
      }
      Cli.Result r = Cli.run("scan", "--no-geo", "-q", "--db", db.toString(), "--key",
          key.toString(), log.toString());
      assertThat(r.code()).as(r.err()).isZero();
    }
    disclosure = dir.resolve("sqli.json");
    Cli.Result d = Cli.run("disclose", "--db", db.toString(), "--key", key.toString(),
        "--month", "2013-02", "--class", "sqli", "-o", disclosure.toString());
    assertThat(d.code()).as(d.err()).isZero();
  }

  @AfterAll
  static void restore() {
    if (oldConfig == null) {
      System.clearProperty("evident.config.dir");
    } else {
      System.setProperty("evident.config.dir", oldConfig);
    }
  }

  @Test
  void keygenMakesAnOwnerOnlyKeyAndNeverPrintsIt() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----")
        .doesNotContain("PRIVATE");
    Cli.Result again = Cli.run("keygen", "--key", key.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("a key exists already").doesNotContain("Exception");
    Path other = dir.resolve("keys2/site.key");
    Cli.Result r = Cli.run("keygen", "--key", other.toString());
    assertThat(r.out() + r.err()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void everyLineOfTheLogIsALeafOfItsSegment() throws Exception {
    // an independent computation over the raw file: the segment root must be the same
    byte[] raw = Files.readAllBytes(dir.resolve("a.example-access.log"));
    TreeBuilder t = new TreeBuilder();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\n') {
        t.add(Merkle.leafHash(raw, start, i - start));
        start = i + 1;
      }
    }
    Cli.Result r = Cli.run("sql", "--db", db.toString(), "--format", "csv",
        "SELECT seq, size, root, signature IS NOT NULL FROM segments ORDER BY seq");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("1,3000," + HexFormat.of().formatHex(t.root()) + ",true");
    assertThat(r.out()).contains("\n2,3000,");
    Cli.Result leaf = Cli.run("sql", "--db", db.toString(), "--format", "csv",
        "SELECT count(*) FROM attacks WHERE leaf_index <> line_no - 1 OR segment IS NULL");
    assertThat(leaf.out()).contains("\n0");
  }

  @Test
  void crlfAndOverLongLinesAreCommittedByTheirBytes() throws Exception {
    Path log = dir.resolve("crlf.log");
    String good = "198.51.100.7 - - [03/Feb/2013:10:00:00 +0000] \"GET /?q=1%27%20or%201=1--"
        + " HTTP/1.1\" 200 5 \"-\" \"curl/8\"";
    String longLine = "198.51.100.8 - - [03/Feb/2013:10:00:01 +0000] \"GET /" + "a".repeat(5000)
        + " HTTP/1.1\" 200 5 \"-\" \"x\"";
    String text = good + "\r\n" + longLine + "\r\n" + good + "\n\n" + good + "\r";
    Files.writeString(log, text);
    // written an hour ago: a finished log, whose last line without its ending is read at once
    Files.setLastModifiedTime(log, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(java.time.Duration.ofHours(1))));
    Path small = dir.resolve("crlf.duckdb");
    Cli.Result r = Cli.run("scan", "--no-geo", "-q", "--db", small.toString(),
        "--max-line-bytes", "1000", log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    TreeBuilder t = new TreeBuilder();
    for (String l : new String[] {good, longLine, good, "", good}) {
      t.add(Merkle.leafHash(l.getBytes(StandardCharsets.UTF_8)));
    }
    Cli.Result q = Cli.run("sql", "--db", small.toString(), "--format", "csv",
        "SELECT size, root FROM segments");
    assertThat(q.out()).contains("5," + HexFormat.of().formatHex(t.root()));
  }

  @Test
  void signedReportVerifies() throws Exception {
    Path report = dir.resolve("report.html");
    Cli.Result r = Cli.run("report", "--db", db.toString(), "--month", "2013-02", "--format",
        "html", "-o", report.toString(), "--sign", "--key", key.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path bundle = dir.resolve("report.html.evidence.json");
    JsonNode b = JSON.readTree(bundle.toFile());
    assertThat(b.at("/signed/kind").asText()).isEqualTo("report");
    assertThat(b.at("/signed/rests_on")).hasSize(2);
    assertThat(b.get("heads")).hasSize(2);
    assertThat(b.at("/signed/rulesets/0/sha256").asText()).hasSize(64);
    String html = Files.readString(report);
    assertThat(html).contains("Evidence behind these figures", "evident verify",
        b.at("/heads/0/head/root").asText());
    Cli.Result v = Cli.run("verify", bundle.toString(), "--pubkey", pub.toString());
    assertThat(v.code()).as(v.out()).isZero();
    assertThat(v.out()).contains("VERIFIED", "2 tree heads");

    ObjectNode changed = (ObjectNode) b.deepCopy();
    ((ObjectNode) changed.at("/signed/claims")).put("attacks", 140_000);
    assertFails(changed, "signature over the bundle's claims does not verify",
        "add up to");
  }

  @Test
  void disclosureVerifiesAndRejudgesEveryLine() throws Exception {
    JsonNode b = JSON.readTree(disclosure.toFile());
    int n = b.get("disclosed").size();
    assertThat(n).isPositive();
    assertThat(b.at("/signed/claims/selected").asLong()).isEqualTo(n);
    assertThat(b.at("/signed/claims/disclosed").asLong()).isEqualTo(n);
    assertThat(b.at("/signed/lines_sha256").asText()).hasSize(64);
    assertThat(b.get("rules").size()).isPositive();
    for (JsonNode l : b.get("disclosed")) {
      assertThat(l.get("class").asText()).isEqualTo("sqli");
    }
    Cli.Result v = Cli.run("verify", disclosure.toString(), "--pubkey", pub.toString());
    assertThat(v.code()).as(v.out()).isZero();
    assertThat(v.out()).contains("VERIFIED", n + " disclosed lines proven",
        n + " judged again");
    // the benign majority is not in it: only attack lines, and only hashes of the rest
    String text = Files.readString(disclosure);
    assertThat(text.split("GET ", -1).length - 1).isLessThanOrEqualTo(n * 2);
  }

  @Test
  void aChangedLineFails() throws Exception {
    ObjectNode b = bundle();
    ObjectNode d = (ObjectNode) b.get("disclosed").get(1);
    d.put("line", d.get("line").asText().replace("HTTP/1.1", "HTTP/1.0"));
    assertFails(b, "disclosed line 2", "does not hash to the committed leaf");
  }

  @Test
  void aDroppedProofNodeFails() throws Exception {
    ObjectNode b = bundle();
    ((ArrayNode) b.get("disclosed").get(0).get("proof")).remove(2);
    assertFails(b, "disclosed line 1", "inclusion proof does not lead to the root");
  }

  @Test
  void aReorderedSegmentFails() throws Exception {
    ObjectNode b = bundle();
    ArrayNode heads = (ArrayNode) b.get("heads");
    JsonNode first = heads.get(0);
    heads.set(0, heads.get(1));
    heads.set(1, first);
    assertFails(b, "segment chain is broken at position 1");
  }

  @Test
  void aDroppedSegmentFails() throws Exception {
    ObjectNode b = bundle();
    ((ArrayNode) b.get("heads")).remove(0);
    assertFails(b, "segment chain is broken", "holds 1");
  }

  @Test
  void theWrongKeyFails() throws Exception {
    Path other = dir.resolve("other/site.key");
    Cli.run("keygen", "--key", other.toString());
    Cli.Result v = Cli.run("verify", disclosure.toString(), "--pubkey",
        dir.resolve("other/site.pub").toString());
    assertThat(v.code()).isEqualTo(3);
    assertThat(v.out()).contains("NOT VERIFIED", "(wrong key)",
        "signature of tree head 1 does not verify");
  }

  @Test
  void aChangedCountFails() throws Exception {
    ObjectNode b = bundle();
    ((ObjectNode) b.at("/signed/claims")).put("disclosed", 1);
    assertFails(b, "signature over the bundle's claims does not verify",
        "the claims say 1 lines are disclosed, but the bundle holds");
  }

  @Test
  void aDroppedLineFails() throws Exception {
    ObjectNode b = bundle();
    ((ArrayNode) b.get("disclosed")).remove(0);
    assertFails(b, "lines were dropped or added", "their digest differs");
  }

  @Test
  void aRelabelledLineFails() throws Exception {
    ObjectNode b = bundle();
    ((ObjectNode) b.get("disclosed").get(0)).put("country", "US");
    assertFails(b, "their digest differs", "do not match the disclosed lines");
  }

  /**
   * Disclosed lines are judged again with the threshold the scan counted with: a doubly encoded
   * link scores 3, an attack only where a rule file sets the threshold to 3.
   */
  @Test
  void linesAreJudgedAgainAtTheScansThreshold() throws Exception {
    Path log = dir.resolve("t.example-access.log");
    Files.writeString(log, Cli.WARNING_LINE);
    Path rules = dir.resolve("threshold3.yaml");
    Files.writeString(rules, "settings: {threshold: 3}\n");
    String spec = "evident," + rules;
    Path tdb = dir.resolve("t.duckdb");
    Cli.Result s = Cli.run("scan", "--no-geo", "-q", "--db", tdb.toString(), "--key",
        key.toString(), "--rules", spec, log.toString());
    assertThat(s.out()).as(s.err()).contains("1 attack request (");
    Path bundle = dir.resolve("t.json");
    Cli.Result d = Cli.run("disclose", "--db", tdb.toString(), "--key", key.toString(),
        "--month", "2013-02", "-o", bundle.toString());
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(JSON.readTree(bundle.toFile()).at("/signed/ruleset/threshold").asInt())
        .isEqualTo(3);
    Cli.Result v = Cli.run("verify", bundle.toString(), "--pubkey", pub.toString(), "--rules",
        spec);
    assertThat(v.code()).as(v.out()).isZero();
    assertThat(v.out()).contains("VERIFIED", "1 judged again");
  }

  @Test
  void otherRulesCannotRejudge() throws Exception {
    Path rules = dir.resolve("extra.yaml");
    Files.writeString(rules, "version: extra 1\nrules:\n  - id: X-1\n    class: probe\n"
        + "    severity: critical\n    msg: x\n    targets: [path]\n    contains: /nothing-here\n");
    Cli.Result v = Cli.run("verify", disclosure.toString(), "--pubkey", pub.toString(),
        "--rules", "evident," + rules);
    assertThat(v.code()).isEqualTo(3);
    assertThat(v.out()).contains("cannot be judged again with the same rules");
  }

  @Test
  void theCarriedKeyIsUsedOnlyWithAWarning() {
    Cli.Result v = Cli.run("verify", disclosure.toString());
    assertThat(v.code()).as(v.out()).isZero();
    assertThat(v.err()).contains("WARNING", "NOT who made it");
  }

  @Test
  void unreadableBundlesFailWithOneSentence() throws Exception {
    byte[] all = Files.readAllBytes(disclosure);
    Path truncated = dir.resolve("truncated.json");
    Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));
    Path notJson = dir.resolve("not.json");
    Files.writeString(notJson, "this is not json\n");
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "{}");
    String[][] cases = {
        {truncated.toString(), "truncated"},
        {notJson.toString(), "not valid JSON"},
        {empty.toString(), "not an evidence bundle"},
        {dir.resolve("missing.json").toString(), "no bundle at"}};
    for (String[] c : cases) {
      Cli.Result v = Cli.run("verify", c[0], "--pubkey", pub.toString());
      assertThat(v.code()).as(c[0]).isEqualTo(1);
      assertThat(v.err()).contains(c[1]).doesNotContain("Exception").doesNotContain("\tat ");
    }
    // wherever the bundle is cut (inside a string, between an object's entries ...), it is
    // reported as truncated, not as some other JSON error
    for (int tenth = 1; tenth < 10; tenth++) {
      Files.write(truncated, java.util.Arrays.copyOf(all, all.length * tenth / 10));
      Cli.Result v = Cli.run("verify", truncated.toString(), "--pubkey", pub.toString());
      assertThat(v.code()).isEqualTo(1);
      assertThat(v.err()).as("cut at %d tenths", tenth).contains("truncated");
    }
    Cli.Result big = Cli.run("verify", disclosure.toString(), "--pubkey", pub.toString(),
        "--max-bytes", "1000");
    assertThat(big.code()).isEqualTo(1);
    assertThat(big.err()).contains("larger than the limit");
    Cli.Result badKey = Cli.run("verify", disclosure.toString(), "--pubkey", notJson.toString());
    assertThat(badKey.code()).isEqualTo(1);
    assertThat(badKey.err()).contains("is not an Ed25519 public key");
  }

  @Test
  void signingNeedsAKey() {
    Cli.Result r = Cli.run("disclose", "--db", db.toString(), "--key",
        dir.resolve("nokey/site.key").toString(), "--month", "2013-02");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no signing key at", "evident keygen");
    Cli.Result none = Cli.run("disclose", "--db", db.toString(), "--key", key.toString(),
        "--month", "2013-02", "--country", "ZZ");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("no stored attack lines match");
  }

  private static ObjectNode bundle() throws Exception {
    return (ObjectNode) JSON.readTree(disclosure.toFile());
  }

  private static void assertFails(JsonNode b, String... messages) throws Exception {
    Path f = Files.createTempFile(dir, "tampered", ".json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JSON.writeValue(out, b);
    Files.write(f, out.toByteArray());
    Cli.Result v = Cli.run("verify", f.toString(), "--pubkey", pub.toString());
    assertThat(v.code()).as(v.out() + v.err()).isEqualTo(3);
    assertThat(v.out()).contains("NOT VERIFIED").contains(messages);
  }
}
