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
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("--paranoia must be");
  }
}
