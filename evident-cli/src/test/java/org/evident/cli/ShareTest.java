package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharing end to end: import of intelligence, STIX export, and the TAXII server. */
class ShareTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path APT1 =
      Path.of("../../shared/stix2-schemas/examples/threat-reports/apt1.json");

  @TempDir
  static Path dir;
  static Path db;

  /** Attacks from APT1's published networks, from a listed crew, and from elsewhere. */
  @BeforeAll
  static void scan() throws Exception {
    db = dir.resolve("share.duckdb");
    StringBuilder log = new StringBuilder();
    String[][] rows = {
        {"223.166.1.2", "/item?id=1%27%20union%20select%20password%20from%20users--"},
        {"223.167.200.9", "/../../../../etc/passwd"},
        {"58.246.3.4", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E"},
        {"198.51.100.20", "/item?id=1%20or%201=1--"},
        {"198.51.100.20", "/item?id=2%20or%202=2--"},
        {"198.51.100.20", "/item?id=3%20or%203=3--"},
        {"203.0.113.5", "/.env"},
        {"203.0.113.6", "/index.html"}};
    int minute = 0;
    for (String[] r : rows) {
      log.append(r[0]).append(" - - [03/Feb/2013:10:").append(String.format("%02d", minute++))
          .append(":00 +0000] \"GET ").append(r[1]).append(" HTTP/1.1\" 200 100 \"-\""
              + " \"Mozilla/5.0\"\n");
    }
    Path file = dir.resolve("shop.example-access.log");
    Files.writeString(file, log);
    Cli.Result r = Cli.run("scan", "--no-geo", "-q", "--db", db.toString(), file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("7 attack requests");
    Cli.Result i = Cli.run("import", "--db", db.toString(), APT1.toString());
    assertThat(i.code()).as(i.err()).isZero();
    assertThat(i.out()).contains("Imported 7 indicators", "3 stored attack requests now carry"
        + " an actor");
    Path list = dir.resolve("crew.txt");
    Files.writeString(list, "# a crew seen before\n198.51.100.0/24\n");
    Cli.Result l = Cli.run("import", "--db", db.toString(), list.toString(), "--actor",
        "Crew 42");
    assertThat(l.code()).as(l.err()).isZero();
    assertThat(l.out()).contains("6 stored attack requests now carry an actor");
  }

  @Test
  void reportsCountAttacksByActor() throws Exception {
    Cli.Result r = Cli.run("report", "--db", db.toString(), "--month", "2013-02", "--format",
        "json");
    Map<String, Long> byActor = new HashMap<>();
    JSON.readTree(r.out()).get("by_actor").forEach(a -> byActor.put(a.get("actor").asText(),
        a.get("attacks").asLong()));
    assertThat(byActor).containsExactlyInAnyOrderEntriesOf(Map.of("APT1", 3L, "Crew 42", 3L));
    Cli.Result sql = Cli.run("sql", "--db", db.toString(), "--format", "csv",
        "SELECT count(*) FROM attacks WHERE actor IS NULL");
    assertThat(sql.out()).contains("\n1");
  }

  @Test
  void rejectedImportsStoreNothing() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"type\":\"bundle\",\"id\":\"bundle--x\",\"objects\":["
        + "{\"type\":\"indicator\",\"id\":\"indicator--bad\",\"pattern\":\"[ipv4-addr:value = \"},"
        + "{\"type\":\"indicator\",\"id\":\"indicator--good\",\"name\":\"G\","
        + "\"pattern\":\"[ipv4-addr:value = '203.0.113.5']\"}]}");
    Path other = dir.resolve("other.duckdb");
    Files.copy(db, other);
    Cli.Result r = Cli.run("import", "--db", other.toString(), bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("indicator--bad", "malformed pattern", "nothing was stored")
        .doesNotContain("Exception");
    assertThat(Cli.run("sql", "--db", other.toString(), "--format", "csv",
        "SELECT count(*) FROM intel WHERE actor = 'G'").out()).contains("\n0");
    Cli.Result p = Cli.run("import", "--db", other.toString(), bad.toString(), "--partial");
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).contains("Imported 1 indicators");
    Path notJson = dir.resolve("x.json");
    Files.writeString(notJson, "{\"type\": \"bundle\", \"objects\": [");
    assertThat(Cli.run("import", "--db", other.toString(), notJson.toString()).err())
        .isEqualTo("evident: " + notJson + " is not valid JSON (Unexpected end-of-input: expected"
            + " close marker for Array at line 1, column 32)\n");
    Path list = dir.resolve("nolabel.txt");
    Files.writeString(list, "1.2.3.4\n");
    assertThat(Cli.run("import", "--db", other.toString(), list.toString()).err())
        .contains("--actor");
  }

  @Test
  void importsFromAUrl() throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        0);
    byte[] body = Files.readAllBytes(APT1);
    s.createContext("/apt1.json", x -> {
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    s.start();
    try {
      Path other = dir.resolve("url.duckdb");
      Files.copy(db, other);
      Cli.Result r = Cli.run("import", "--db", other.toString(),
          "http://127.0.0.1:" + s.getAddress().getPort() + "/apt1.json");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("Imported 7 indicators");
      Cli.Result missing = Cli.run("import", "--db", other.toString(),
          "http://127.0.0.1:" + s.getAddress().getPort() + "/nothing");
      assertThat(missing.code()).isEqualTo(1);
      assertThat(missing.err()).contains("HTTP 404");
    } finally {
      s.stop(0);
    }
  }

  @Test
  void stixExportCarriesSourcesPatternsAndActors() throws Exception {
    Path out = dir.resolve("feb.stix.json");
    Cli.Result r = Cli.run("export", "stix", "--db", db.toString(), "--month", "2013-02",
        "--identity", "Shop Example CERT", "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode b = JSON.readTree(out.toFile());
    Map<String, Integer> types = new HashMap<>();
    b.get("objects").forEach(o -> types.merge(o.get("type").asText(), 1, Integer::sum));
    // five attacking sources (the sixth address only browsed)
    assertThat(types).containsEntry("ipv4-addr", 5).containsEntry("observed-data", 5)
        .containsEntry("sighting", 5).containsEntry("indicator", 1).containsEntry("identity", 1)
        .containsEntry("report", 1).containsEntry("campaign", 2);
    assertThat(b.toString()).contains("Shop Example CERT", "CAPEC-66",
        "[ipv4-addr:value = '198.51.100.20']", "APT1");
    Cli.Result again = Cli.run("export", "stix", "--db", db.toString(), "--month", "2013-02",
        "--identity", "Shop Example CERT");
    assertThat(JSON.readTree(again.out())).isEqualTo(b);
    Cli.Result none = Cli.run("export", "stix", "--db", db.toString(), "--month", "2013-03");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.out()).isEmpty();
    assertThat(none.err()).contains("nothing to export: no stored attack matches the selection");
  }

  @Test
  void serveSharesPublishedFindingsOverTaxii() throws Exception {
    Path cfg = dir.resolve("taxii.yaml");
    Files.writeString(cfg, """
        title: Shop Example CERT
        collections:
          - alias: feb
            title: February findings
            publish: {since: 2013-02, until: 2013-03}
          - alias: jan
            title: January findings (none stored)
            publish: {since: 2013-01, until: 2013-02}
          - alias: inbox
            title: What partners send us
        users:
          - {name: partner, token: tok-1, read: [feb, jan]}
        """);
    Path ready = dir.resolve("ready.txt");
    StringWriter err = new StringWriter();
    Thread t = new Thread(() -> Main.commandLine(new PrintWriter(new StringWriter()),
        new PrintWriter(err)).execute("serve", "--db", db.toString(), "--config",
        cfg.toString(), "--port", "0", "--ready-file", ready.toString(), "--taxii-db",
        dir.resolve("share.taxii").toString()));
    t.start();
    try {
      for (int i = 0; i < 200 && !Files.exists(ready); i++) {
        Thread.sleep(50);
      }
      assertThat(ready).as(err.toString()).exists();
      String url = Files.readString(ready).strip();
      assertThat(url).startsWith("http://127.0.0.1:").endsWith("/taxii2/");
      String root = url.replace("/taxii2/", "/evident/");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> cols = http.send(HttpRequest.newBuilder(URI.create(root
          + "collections/")).header("Accept", "application/taxii+json;version=2.1")
          .header("Authorization", "Bearer tok-1").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(cols.statusCode()).isEqualTo(200);
      JsonNode c = JSON.readTree(cols.body()).get("collections");
      assertThat(c).hasSize(2);
      // a selection that matches nothing publishes nothing, not a report of nothing
      HttpResponse<String> jan = http.send(HttpRequest.newBuilder(URI.create(root
          + "collections/" + c.get(1).get("id").asText() + "/objects/"))
          .header("Accept", "application/taxii+json;version=2.1")
          .header("Authorization", "Bearer tok-1").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(jan.statusCode()).isEqualTo(200);
      assertThat(jan.body()).doesNotContain("identity--", "report--");
      HttpResponse<String> objs = http.send(HttpRequest.newBuilder(URI.create(root
          + "collections/" + c.get(0).get("id").asText() + "/objects/?match[type]=indicator"))
          .header("Accept", "application/taxii+json;version=2.1")
          .header("Authorization", "Bearer tok-1").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(objs.statusCode()).isEqualTo(200);
      assertThat(objs.body()).contains("198.51.100.20");
      HttpResponse<String> anon = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anon.statusCode()).isEqualTo(401);
    } finally {
      t.interrupt();
      t.join(10_000);
    }
    assertThat(t.isAlive()).isFalse();
    Cli.Result bad = Cli.run("serve", "--db", db.toString(), "--config",
        dir.resolve("none.yaml").toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("no TAXII configuration at");
  }

  static String basic(String up) {
    return "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
  }
}
