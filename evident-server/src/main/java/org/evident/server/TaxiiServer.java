package org.evident.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.evident.json.JsonTrees;
import org.evident.store.TaxiiStore;

/**
 * A TAXII 2.1 server (OASIS TAXII 2.1, sections 4 and 5): discovery, one API root, collections,
 * objects with added_after and limit/next pagination, single objects and their versions,
 * manifests, and status of writes. Every request must authenticate (HTTP Basic or Bearer);
 * a user sees only the collections the configuration lets them read or write, nothing of any
 * other, and gets 401 without credentials and 403 for a collection of another audience.
 */
public final class TaxiiServer implements AutoCloseable {
  public static final String TAXII = "application/taxii+json;version=2.1";
  static final String STIX = "application/stix+json;version=2.1";
  static final int MAX_LIMIT = 1000;
  static final int MAX_CONTENT = 10 << 20;

  private final TaxiiConfig config;
  private final TaxiiStore store;
  private final HttpServer http;
  private final ExecutorService pool;
  private final Map<String, ObjectNode> statuses = new ConcurrentHashMap<>();

  public TaxiiServer(TaxiiConfig config, TaxiiStore store, InetSocketAddress bind)
      throws IOException {
    this.config = config;
    this.store = store;
    this.http = HttpServer.create(bind, 64);
    this.pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "evident-taxii");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(pool);
    http.createContext("/", this::handle);
  }

  public void start() {
    http.start();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    pool.shutdownNow();
  }

  /** A failed request: the TAXII error message and its status. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    Failure(int status, String title) {
      super(title, null, false, false);
      this.status = status;
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      try {
        TaxiiConfig.User user = authenticate(x);
        route(x, user);
      } catch (Failure f) {
        ObjectNode e = JsonTrees.object();
        e.put("title", f.getMessage());
        e.put("http_status", Integer.toString(f.status));
        if (f.status == 401) {
          x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"evident\"");
        }
        send(x, f.status, e);
      } catch (RuntimeException e) {
        ObjectNode err = JsonTrees.object();
        err.put("title", "internal error");
        err.put("http_status", "500");
        send(x, 500, err);
      }
    }
  }

  private void route(HttpExchange x, TaxiiConfig.User user) throws IOException {
    String path = x.getRequestURI().getRawPath();
    String[] p = path.split("/", -1);
    // p[0] is "", the last part is "" for paths ending in '/'
    List<String> parts = new ArrayList<>();
    for (int i = 1; i < p.length; i++) {
      if (!(i == p.length - 1 && p[i].isEmpty())) {
        parts.add(URLDecoder.decode(p[i], StandardCharsets.UTF_8));
      }
    }
    String method = x.getRequestMethod();
    if (parts.size() == 1 && parts.get(0).equals("taxii2")) {
      get(method);
      accept(x);
      send(x, 200, discovery(x));
      return;
    }
    if (parts.isEmpty() || !parts.get(0).equals(config.apiRoot())) {
      throw new Failure(404, "no such resource");
    }
    if (parts.size() == 1) {
      get(method);
      accept(x);
      ObjectNode r = JsonTrees.object();
      r.put("title", config.title());
      r.putArray("versions").add(TAXII);
      r.put("max_content_length", MAX_CONTENT);
      send(x, 200, r);
      return;
    }
    if (parts.get(1).equals("status") && parts.size() == 3) {
      get(method);
      accept(x);
      ObjectNode s = statuses.get(parts.get(2));
      if (s == null || !s.path("_user").asText().equals(user.name())) {
        throw new Failure(404, "no such status");
      }
      ObjectNode out = s.deepCopy();
      out.remove("_user");
      send(x, 200, out);
      return;
    }
    if (!parts.get(1).equals("collections")) {
      throw new Failure(404, "no such resource");
    }
    if (parts.size() == 2) {
      get(method);
      accept(x);
      ObjectNode r = JsonTrees.object();
      ArrayNode cols = r.putArray("collections");
      for (TaxiiConfig.Collection c : config.collections()) {
        if (user.mayRead(c) || user.mayWrite(c)) {
          cols.add(collection(c, user));
        }
      }
      send(x, 200, r);
      return;
    }
    TaxiiConfig.Collection c = config.collections().stream()
        .filter(k -> k.id().equals(parts.get(2))).findFirst()
        .orElseThrow(() -> new Failure(404, "no such collection"));
    if (!user.mayRead(c) && !user.mayWrite(c)) {
      throw new Failure(403, "this collection is for another audience");
    }
    if (parts.size() == 3) {
      get(method);
      accept(x);
      send(x, 200, collection(c, user));
      return;
    }
    String what = parts.get(3);
    if (what.equals("objects") && parts.size() == 4 && method.equals("POST")) {
      if (!user.mayWrite(c)) {
        throw new Failure(403, "you may not write to this collection");
      }
      accept(x);
      send(x, 202, write(x, c, user));
      return;
    }
    get(method);
    accept(x);
    if (!user.mayRead(c)) {
      throw new Failure(403, "you may not read this collection");
    }
    Map<String, List<String>> q = query(x.getRequestURI().getRawQuery());
    if (what.equals("objects") && parts.size() == 4) {
      page(x, c, q, null, false, "objects");
    } else if (what.equals("manifest") && parts.size() == 4) {
      page(x, c, q, null, false, "manifest");
    } else if (what.equals("objects") && parts.size() == 5) {
      page(x, c, q, parts.get(4), false, "objects");
    } else if (what.equals("objects") && parts.size() == 6 && parts.get(5).equals("versions")) {
      page(x, c, q, parts.get(4), true, "versions");
    } else {
      throw new Failure(404, "no such resource");
    }
  }

  private ObjectNode discovery(HttpExchange x) {
    ObjectNode d = JsonTrees.object();
    d.put("title", config.title());
    d.put("description", "Web attack findings from Evident: observations, indicators and"
        + " reports in STIX 2.1.");
    String host = x.getRequestHeaders().getFirst("Host");
    String root = "http://" + (host != null ? host : "127.0.0.1:" + port()) + "/"
        + config.apiRoot() + "/";
    d.put("default", root);
    d.putArray("api_roots").add(root);
    return d;
  }

  private ObjectNode collection(TaxiiConfig.Collection c, TaxiiConfig.User user) {
    ObjectNode o = JsonTrees.object();
    o.put("id", c.id());
    o.put("title", c.title());
    if (c.description() != null) {
      o.put("description", c.description());
    }
    o.put("alias", c.alias());
    o.put("can_read", user.mayRead(c));
    o.put("can_write", user.mayWrite(c));
    o.putArray("media_types").add(STIX);
    return o;
  }

  /**
   * One page of objects, a manifest, one object's versions: all the same query on the store.
   *
   * @param objectId one object, or null for all
   * @param allVersions all versions (else the latest, unless match[version] says otherwise)
   */
  private void page(HttpExchange x, TaxiiConfig.Collection c, Map<String, List<String>> q,
      String objectId, boolean allVersions, String kind) throws IOException {
    int limit = MAX_LIMIT;
    if (q.containsKey("limit")) {
      try {
        limit = Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(q.get("limit").get(0))));
      } catch (NumberFormatException e) {
        throw new Failure(400, "limit must be a number");
      }
    }
    int offset = 0;
    if (q.containsKey("next")) {
      try {
        offset = Integer.parseInt(new String(Base64.getUrlDecoder()
            .decode(q.get("next").get(0)), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new Failure(400, "next is not a token this server gave");
      }
    }
    Instant after = null;
    if (q.containsKey("added_after")) {
      try {
        after = Instant.parse(q.get("added_after").get(0));
      } catch (DateTimeParseException e) {
        throw new Failure(400, "added_after must be an RFC 3339 timestamp");
      }
    }
    List<String> ids = objectId != null ? List.of(objectId) : split(q.get("match[id]"));
    String versionMatch = q.containsKey("match[version]") ? q.get("match[version]").get(0)
        : allVersions ? "all" : "last";
    List<TaxiiStore.Entry> found = store.find(c.id(), new TaxiiStore.Query(after, ids,
        split(q.get("match[type]")), offset, limit), versionMatch.equals("last"));
    if (!versionMatch.equals("last") && !versionMatch.equals("all")) {
      List<String> wanted = split(List.of(versionMatch));
      found = found.stream().filter(e -> wanted.contains(e.version())).toList();
    }
    if (objectId != null && found.isEmpty() && offset == 0) {
      throw new Failure(404, "no such object in this collection");
    }
    boolean more = found.size() > limit;
    List<TaxiiStore.Entry> shown = more ? found.subList(0, limit) : found;
    ObjectNode r = JsonTrees.object();
    r.put("more", more);
    if (more) {
      r.put("next", Base64.getUrlEncoder().withoutPadding().encodeToString(
          Integer.toString(offset + limit).getBytes(StandardCharsets.UTF_8)));
    }
    String field = kind.equals("versions") ? "versions" : "objects";
    ArrayNode list = r.putArray(field);
    for (TaxiiStore.Entry e : shown) {
      switch (kind) {
        case "objects" -> list.add(JsonTrees.read(e.json()));
        case "versions" -> list.add(e.version());
        default -> {
          ObjectNode m = list.addObject();
          m.put("id", e.id());
          m.put("date_added", e.dateAdded().toString());
          m.put("version", e.version());
          m.put("media_type", STIX);
        }
      }
    }
    if (!shown.isEmpty()) {
      x.getResponseHeaders().add("X-TAXII-Date-Added-First", shown.get(0).dateAdded().toString());
      x.getResponseHeaders().add("X-TAXII-Date-Added-Last",
          shown.get(shown.size() - 1).dateAdded().toString());
    }
    if (list.isEmpty()) {
      r.remove(field);
    }
    send(x, 200, r);
  }

  private ObjectNode write(HttpExchange x, TaxiiConfig.Collection c, TaxiiConfig.User user)
      throws IOException {
    String ct = x.getRequestHeaders().getFirst("Content-Type");
    if (ct == null || !ct.replace(" ", "").startsWith("application/taxii+json")) {
      throw new Failure(415, "send the envelope as " + TAXII);
    }
    byte[] body;
    try (InputStream in = x.getRequestBody()) {
      body = in.readNBytes(MAX_CONTENT + 1);
    }
    if (body.length > MAX_CONTENT) {
      throw new Failure(413, "the envelope is larger than max_content_length");
    }
    JsonNode env;
    try {
      env = JsonTrees.read(body);
    } catch (IOException e) {
      throw new Failure(400, "the envelope is not JSON");
    }
    if (!env.path("objects").isArray()) {
      throw new Failure(400, "the envelope has no objects list");
    }
    ObjectNode status = JsonTrees.object();
    String statusId = UUID.randomUUID().toString();
    status.put("id", statusId);
    status.put("status", "complete");
    status.put("request_timestamp", Instant.now().toString());
    ArrayNode successes = JsonTrees.array();
    ArrayNode failures = JsonTrees.array();
    List<TaxiiStore.Entry> good = new ArrayList<>();
    for (JsonNode o : env.path("objects")) {
      String id = o.path("id").asText("");
      String why = null;
      if (!o.isObject() || !stixId(id)) {
        why = "no valid STIX id";
      } else if (!o.path("type").asText("").equals(id.substring(0, id.indexOf("--")))) {
        why = "type does not match the id";
      } else if (!o.path("spec_version").asText("2.1").equals("2.1")) {
        why = "not STIX 2.1";
      }
      if (why != null) {
        ObjectNode f = failures.addObject();
        f.put("id", id);
        f.put("message", why);
        continue;
      }
      String version = o.hasNonNull("modified") ? o.get("modified").asText()
          : o.hasNonNull("created") ? o.get("created").asText() : null;
      good.add(new TaxiiStore.Entry(id, version, null, JsonTrees.write(o)));
      ObjectNode s = successes.addObject();
      s.put("id", id);
      if (version != null) {
        s.put("version", version);
      }
    }
    store.add(c.id(), good);
    status.put("total_count", env.path("objects").size());
    status.put("success_count", successes.size());
    status.put("failure_count", failures.size());
    status.put("pending_count", 0);
    status.set("successes", successes);
    status.set("failures", failures);
    ObjectNode kept = status.deepCopy();
    kept.put("_user", user.name());
    statuses.put(statusId, kept);
    return status;
  }

  /** TYPE--UUID, checked by hand: what clients send never meets a backtracking regex. */
  static boolean stixId(String id) {
    int sep = id.indexOf("--");
    if (sep <= 0 || id.length() - sep - 2 != 36) {
      return false;
    }
    for (int i = 0; i < sep; i++) {
      char c = id.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    try {
      java.util.UUID.fromString(id.substring(sep + 2));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private TaxiiConfig.User authenticate(HttpExchange x) {
    String h = x.getRequestHeaders().getFirst("Authorization");
    if (h != null) {
      if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
        String up;
        try {
          up = new String(Base64.getDecoder().decode(h.substring(6).trim()),
              StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new Failure(401, "authentication required");
        }
        int colon = up.indexOf(':');
        if (colon > 0) {
          String name = up.substring(0, colon);
          byte[] given = TaxiiConfig.sha256(up.substring(colon + 1))
              .getBytes(StandardCharsets.US_ASCII);
          for (TaxiiConfig.User u : config.users()) {
            if (u.name().equals(name) && u.passwordSha256() != null && MessageDigest.isEqual(
                given, u.passwordSha256().getBytes(StandardCharsets.US_ASCII))) {
              return u;
            }
          }
        }
      } else if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
        byte[] given = TaxiiConfig.sha256(h.substring(7).trim())
            .getBytes(StandardCharsets.US_ASCII);
        for (TaxiiConfig.User u : config.users()) {
          if (u.tokenSha256() != null && MessageDigest.isEqual(given,
              u.tokenSha256().getBytes(StandardCharsets.US_ASCII))) {
            return u;
          }
        }
      }
    }
    throw new Failure(401, "authentication required");
  }

  private static void get(String method) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new Failure(405, "method not allowed here");
    }
  }

  /** TAXII clients must accept the TAXII media type; anything else gets 406. */
  private static void accept(HttpExchange x) {
    String a = x.getRequestHeaders().getFirst("Accept");
    if (a == null) {
      return;
    }
    String s = a.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    if (!(s.contains("application/taxii+json") || s.contains("*/*"))
        || (s.contains("application/taxii+json;version=") && !s.contains("version=2.1")
            && !s.contains("*/*"))) {
      throw new Failure(406, "this server speaks " + TAXII);
    }
  }

  private void send(HttpExchange x, int status, JsonNode body) throws IOException {
    byte[] b = JsonTrees.write(body).getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", TAXII);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(status, head ? -1 : b.length);
    if (!head) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(b);
      }
    }
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, z -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static List<String> split(List<String> values) {
    if (values == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String v : values) {
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }
}
