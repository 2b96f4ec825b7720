package org.evident.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.evident.store.TaxiiStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TAXII server over real loopback HTTP: discovery, collections, objects, rights. */
class TaxiiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG = """
      title: Test TAXII
      api_root: evident
      collections:
        - alias: partners
          title: For partner CERTs
        - alias: public
          title: For everyone
      users:
        - {name: alice, password: wonderland, read: [partners], write: [partners]}
        - {name: bob, token: s3cret-token, read: [public]}
        - {name: carol, password: carol-pw, read: [public], write: [public]}
      """;

  @TempDir
  static Path dir;
  static TaxiiStore store;
  static TaxiiServer server;
  static TaxiiConfig config;
  static String base;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    config = TaxiiConfig.parse(CONFIG);
    store = TaxiiStore.open(dir.resolve("t.taxii"));
    server = new TaxiiServer(config, store,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.start();
    base = "http://127.0.0.1:" + server.port();
    // alice writes three objects (one in two versions) to partners, carol one to public
    String env = envelope(indicator("11111111-1111-4111-8111-111111111111", "2013-02-01"),
        indicator("22222222-2222-4222-8222-222222222222", "2013-02-01"),
        indicator("33333333-3333-4333-8333-333333333333", "2013-02-01"));
    assertThat(post("alice:wonderland", col("partners") + "objects/", env).statusCode())
        .isEqualTo(202);
    assertThat(post("alice:wonderland", col("partners") + "objects/",
        envelope(indicator("11111111-1111-4111-8111-111111111111", "2013-02-02")))
        .statusCode()).isEqualTo(202);
    assertThat(post("carol:carol-pw", col("public") + "objects/",
        envelope(indicator("44444444-4444-4444-8444-444444444444", "2013-02-01")))
        .statusCode()).isEqualTo(202);
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  static String indicator(String uuid, String day) {
    return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--" + uuid
        + "\",\"created\":\"2013-02-01T00:00:00.000Z\",\"modified\":\"" + day
        + "T00:00:00.000Z\",\"pattern\":\"[ipv4-addr:value = '198.51.100.7']\","
        + "\"pattern_type\":\"stix\",\"valid_from\":\"2013-02-01T00:00:00Z\"}";
  }

  static String envelope(String... objects) {
    return "{\"objects\":[" + String.join(",", objects) + "]}";
  }

  static String col(String alias) {
    String id = config.collections().stream().filter(c -> c.alias().equals(alias)).findFirst()
        .orElseThrow().id();
    return "/evident/collections/" + id + "/";
  }

  static HttpResponse<String> get(String auth, String path) throws Exception {
    return get(auth, path, TaxiiServer.TAXII);
  }

  static HttpResponse<String> get(String auth, String path, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept",
        accept);
    if (auth != null) {
      b.header("Authorization", auth.startsWith("Bearer ") ? auth
          : "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String auth, String path, String body) throws Exception {
    return post(auth, path, body, TaxiiServer.TAXII);
  }

  static HttpResponse<String> post(String auth, String path, String body, String type)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Accept", TaxiiServer.TAXII).header("Content-Type", type)
        .header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString(auth.getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode body(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void everyRequestNeedsCredentials() throws Exception {
    for (String path : new String[] {"/taxii2/", "/evident/", "/evident/collections/",
        col("partners") + "objects/"}) {
      HttpResponse<String> r = get(null, path);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"evident\"");
      assertThat(r.body()).doesNotContain("indicator--");
    }
    assertThat(get("alice:wrong", "/taxii2/").statusCode()).isEqualTo(401);
    assertThat(get("Bearer not-the-token", "/taxii2/").statusCode()).isEqualTo(401);
    assertThat(get("nobody:wonderland", "/taxii2/").statusCode()).isEqualTo(401);
  }

  @Test
  void discoveryAndApiRootSpeakTaxii() throws Exception {
    HttpResponse<String> d = get("alice:wonderland", "/taxii2/");
    assertThat(d.statusCode()).isEqualTo(200);
    assertThat(d.headers().firstValue("Content-Type")).hasValue(TaxiiServer.TAXII);
    assertThat(body(d).get("api_roots").get(0).asText()).endsWith("/evident/");
    JsonNode root = body(get("Bearer s3cret-token", "/evident/"));
    assertThat(root.get("versions").get(0).asText()).isEqualTo(TaxiiServer.TAXII);
    assertThat(get("alice:wonderland", "/taxii2/", "application/xml").statusCode())
        .isEqualTo(406);
    assertThat(get("alice:wonderland", "/taxii2/", "application/taxii+json;version=2.0")
        .statusCode()).isEqualTo(406);
  }

  @Test
  void usersSeeOnlyTheirCollections() throws Exception {
    JsonNode a = body(get("alice:wonderland", "/evident/collections/"));
    assertThat(a.get("collections")).hasSize(1);
    assertThat(a.at("/collections/0/alias").asText()).isEqualTo("partners");
    assertThat(a.at("/collections/0/can_write").asBoolean()).isTrue();
    JsonNode b = body(get("Bearer s3cret-token", "/evident/collections/"));
    assertThat(b.get("collections")).hasSize(1);
    assertThat(b.at("/collections/0/alias").asText()).isEqualTo("public");
    assertThat(b.at("/collections/0/can_write").asBoolean()).isFalse();
  }

  @Test
  void anotherAudiencesCollectionIsForbidden() throws Exception {
    for (String sub : new String[] {"", "objects/", "manifest/",
        "objects/indicator--11111111-1111-4111-8111-111111111111/",
        "objects/indicator--11111111-1111-4111-8111-111111111111/versions/"}) {
      HttpResponse<String> r = get("Bearer s3cret-token", col("partners") + sub);
      assertThat(r.statusCode()).as(sub).isEqualTo(403);
      assertThat(r.body()).doesNotContain("11111111");
    }
    // an object of partners is not found through public, even by its id
    assertThat(get("Bearer s3cret-token", col("public")
        + "objects/indicator--11111111-1111-4111-8111-111111111111/").statusCode())
        .isEqualTo(404);
    assertThat(get("alice:wonderland", "/evident/collections/no-such/").statusCode())
        .isEqualTo(404);
    assertThat(post("bob:x", col("public") + "objects/", envelope()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void readersCannotWrite() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + col("public")
        + "objects/")).header("Authorization", "Bearer s3cret-token")
        .header("Content-Type", TaxiiServer.TAXII).header("Accept", TaxiiServer.TAXII)
        .POST(HttpRequest.BodyPublishers.ofString(envelope())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(post("alice:wonderland", col("partners") + "objects/", envelope(), "text/plain")
        .statusCode()).isEqualTo(415);
  }

  @Test
  void objectsPageWithNextAndFilterByAddedAfter() throws Exception {
    HttpResponse<String> first = get("alice:wonderland", col("partners") + "objects/?limit=2");
    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode p1 = body(first);
    assertThat(p1.get("more").asBoolean()).isTrue();
    assertThat(p1.get("objects")).hasSize(2);
    assertThat(first.headers().firstValue("X-TAXII-Date-Added-First")).isPresent();
    JsonNode p2 = body(get("alice:wonderland", col("partners") + "objects/?limit=2&next="
        + p1.get("next").asText()));
    assertThat(p2.get("more").asBoolean()).isFalse();
    Set<String> ids = new HashSet<>();
    p1.get("objects").forEach(o -> ids.add(o.get("id").asText()));
    p2.get("objects").forEach(o -> ids.add(o.get("id").asText()));
    assertThat(ids).hasSize(3); // latest versions only: three objects
    // nothing was added after the last object listed
    HttpResponse<String> all = get("alice:wonderland", col("partners") + "manifest/");
    JsonNode m = body(all);
    assertThat(m.get("objects")).hasSize(3);
    String last = all.headers().firstValue("X-TAXII-Date-Added-Last").orElseThrow();
    JsonNode none = body(get("alice:wonderland", col("partners") + "objects/?added_after="
        + last));
    assertThat(none.has("objects")).isFalse();
    assertThat(get("alice:wonderland", col("partners") + "objects/?added_after=yesterday")
        .statusCode()).isEqualTo(400);
    JsonNode typed = body(get("alice:wonderland", col("partners")
        + "objects/?match[type]=malware"));
    assertThat(typed.has("objects")).isFalse();
  }

  @Test
  void oneObjectAndItsVersions() throws Exception {
    String path = col("partners") + "objects/indicator--11111111-1111-4111-8111-111111111111/";
    JsonNode latest = body(get("alice:wonderland", path));
    assertThat(latest.get("objects")).hasSize(1);
    assertThat(latest.at("/objects/0/modified").asText()).startsWith("2013-02-02");
    JsonNode versions = body(get("alice:wonderland", path + "versions/"));
    assertThat(versions.get("versions")).hasSize(2);
    JsonNode all = body(get("alice:wonderland", path + "?match[version]=all"));
    assertThat(all.get("objects")).hasSize(2);
  }

  @Test
  void writesReportTheirStatus() throws Exception {
    HttpResponse<String> r = post("carol:carol-pw", col("public") + "objects/",
        envelope(indicator("55555555-5555-4555-8555-555555555555", "2013-02-01"),
            "{\"type\":\"indicator\",\"id\":\"not-an-id\"}"));
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode s = body(r);
    assertThat(s.get("success_count").asInt()).isEqualTo(1);
    assertThat(s.get("failure_count").asInt()).isEqualTo(1);
    JsonNode again = body(get("carol:carol-pw", "/evident/status/" + s.get("id").asText()
        + "/"));
    assertThat(again.get("total_count").asInt()).isEqualTo(2);
    // a status is its writer's alone
    assertThat(get("alice:wonderland", "/evident/status/" + s.get("id").asText() + "/")
        .statusCode()).isEqualTo(404);
  }

  /**
   * Each mistake a configuration can hold, and its message. A misspelt key or a value where a
   * list belongs was read as absent: a publish selection with "sinse" shared every month, and
   * "collections: 5" started a server with nothing in it.
   */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "collections: [{title: x}]|every collection needs an alias",
      "collections: [a]|every collection needs an alias",
      "collections: [{alias: a}]<LF>users: [{name: u, read: [a]}]|user u has neither a password"
          + " nor a token",
      "collections: [{alias: a}]<LF>users: [{name: u, token: t, read: [b]}]|user u names"
          + " collection 'b', which is not defined",
      "api_root: 'a/b'|api_root must be letters, digits, '-' or '_'",
      "collections: 5|collections must be a list of collections",
      "users: {name: u}|users must be a list of users",
      "colections: [{alias: a}]|unknown key 'colections' (known: api_root, collections, title,"
          + " users)",
      "collections: [{alias: a, publsh: {site: x}}]|collection a: unknown key 'publsh'",
      "collections: [{alias: a, publish: {site: x, sinse: 2013-02}}]|collection a: publish:"
          + " unknown key 'sinse' (known: class, country, since, site, until)",
      "collections: [{alias: a, publish: shop.example}]|collection a: publish must be a mapping",
      "collections: [{alias: a}]<LF>users: [{name: u, token: t, read: a}]|user u: read must be"
          + " a list of collection aliases",
      "collections: [{alias: a}]<LF>users: [{name: u, tokn: t}]|user u: unknown key 'tokn'",
      "users: [{name: u, token_sha256: s3cret}]|user u: token_sha256 must be 64 hexadecimal"
          + " digits (the SHA-256 of the secret; or give the secret as token)",
      "collections: [{alias: a}<LF>users: []|not valid YAML: expected ',' or ']', but got"
          + " <scalar> at line 2, column 1"})
  void badConfigurationIsNamed(String yaml, String message) {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> TaxiiConfig.parse(yaml.replace("<LF>", "\n")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void aHashIsReadInEitherCase() {
    String hash = TaxiiConfig.sha256("s3cret-token");
    TaxiiConfig c = TaxiiConfig.parse("collections: [{alias: a}]\nusers: [{name: u,"
        + " token_sha256: " + hash.toUpperCase(java.util.Locale.ROOT) + ", read: [a]}]");
    assertThat(c.users().get(0).tokenSha256()).isEqualTo(hash);
  }
}
