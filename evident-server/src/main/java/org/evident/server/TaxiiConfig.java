package org.evident.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.evident.json.YamlTrees;

/**
 * What a TAXII server shares and with whom (docs/taxii.md): collections, one per audience, each
 * optionally filled from the store with a selection; and users, each with a password (HTTP Basic)
 * or a token (Bearer) and the collections they may read and write.
 */
public record TaxiiConfig(String title, String apiRoot, List<Collection> collections,
    List<User> users) {

  /**
   * A collection.
   *
   * @param publish the selection exported into it at start (site, country, class, since,
   *     until), or null for a collection that only receives what users write to it
   */
  public record Collection(String id, String alias, String title, String description,
      Map<String, String> publish) {}

  /** A user; secrets are kept only as SHA-256 hashes. */
  public record User(String name, String passwordSha256, String tokenSha256, Set<String> read,
      Set<String> write) {

    public boolean mayRead(Collection c) {
      return read.contains(c.id()) || read.contains(c.alias());
    }

    public boolean mayWrite(Collection c) {
      return write.contains(c.id()) || write.contains(c.alias());
    }
  }

  /**
   * Reads a YAML configuration.
   *
   * @throws IllegalArgumentException with a sentence naming the bad entry
   */
  public static TaxiiConfig parse(String yaml) {
    JsonNode root = YamlTrees.read(yaml);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("empty configuration");
    }
    Supplier<String> top = () -> "";
    YamlTrees.knownKeys(root, ROOT_KEYS, top);
    String apiRoot = root.path("api_root").asText("evident");
    if (!apiRoot.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("api_root must be letters, digits, '-' or '_'");
    }
    List<Collection> cols = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode c : YamlTrees.list(root, "collections", top,
        " of collections, e.g. [{alias: partners, title: ...}]")) {
      String alias = c.path("alias").asText(null);
      if (!c.isObject() || alias == null || !alias.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("every collection needs an alias of letters, digits,"
            + " '-' or '_'");
      }
      Supplier<String> where = () -> "collection " + alias + ": ";
      YamlTrees.knownKeys(c, COLLECTION_KEYS, where);
      String id = c.path("id").asText(UUID.nameUUIDFromBytes(("evident-collection:" + alias)
          .getBytes(StandardCharsets.UTF_8)).toString());
      if (!names.add(alias) || !names.add(id)) {
        throw new IllegalArgumentException("collection " + alias + " is defined twice");
      }
      Map<String, String> publish = null;
      if (c.has("publish")) {
        // a misspelt key read as absent would share more than its author chose
        JsonNode p = YamlTrees.mapping(c, "publish", where,
            ", e.g. {site: shop.example, since: 2013-02}");
        YamlTrees.knownKeys(p, Set.copyOf(PUBLISH_KEYS),
            () -> "collection " + alias + ": publish: ");
        publish = new LinkedHashMap<>();
        for (String k : PUBLISH_KEYS) {
          if (p.hasNonNull(k)) {
            publish.put(k, p.get(k).asText());
          }
        }
      }
      cols.add(new Collection(id, alias, c.path("title").asText(alias),
          c.path("description").asText(null), publish));
    }
    List<User> users = new ArrayList<>();
    for (JsonNode u : YamlTrees.list(root, "users", top,
        " of users, e.g. [{name: cert-a, token_sha256: ..., read: [partners]}]")) {
      String name = u.path("name").asText(null);
      if (!u.isObject() || name == null || name.isBlank() || name.contains(":")) {
        throw new IllegalArgumentException("every user needs a name without ':'");
      }
      Supplier<String> where = () -> "user " + name + ": ";
      YamlTrees.knownKeys(u, USER_KEYS, where);
      String pw = u.hasNonNull("password_sha256") ? hash(u, "password_sha256", name)
          : u.hasNonNull("password") ? sha256(u.get("password").asText()) : null;
      String token = u.hasNonNull("token_sha256") ? hash(u, "token_sha256", name)
          : u.hasNonNull("token") ? sha256(u.get("token").asText()) : null;
      if (pw == null && token == null) {
        throw new IllegalArgumentException("user " + name + " has neither a password nor a"
            + " token");
      }
      Set<String> read = strings(YamlTrees.list(u, "read", where, " of collection aliases"));
      Set<String> write = strings(YamlTrees.list(u, "write", where, " of collection aliases"));
      for (String ref : concat(read, write)) {
        if (cols.stream().noneMatch(c -> c.id().equals(ref) || c.alias().equals(ref))) {
          throw new IllegalArgumentException("user " + name + " names collection '" + ref
              + "', which is not defined");
        }
      }
      users.add(new User(name, pw, token, read, write));
    }
    return new TaxiiConfig(root.path("title").asText("Evident TAXII server"), apiRoot,
        List.copyOf(cols), List.copyOf(users));
  }

  private static final Set<String> ROOT_KEYS =
      Set.of("title", "api_root", "collections", "users");
  private static final Set<String> COLLECTION_KEYS =
      Set.of("id", "alias", "title", "description", "publish");
  /** In the order a selection is written. */
  private static final List<String> PUBLISH_KEYS =
      List.of("site", "country", "class", "since", "until");
  private static final Set<String> USER_KEYS = Set.of("name", "password", "password_sha256",
      "token", "token_sha256", "read", "write");

  /**
   * A secret's SHA-256 as given, in lower case: anything but 64 hexadecimal digits (a secret
   * pasted where its hash belongs) would match no credential ever sent.
   */
  private static String hash(JsonNode user, String key, String name) {
    String h = user.get(key).asText().strip().toLowerCase(java.util.Locale.ROOT);
    if (!h.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("user " + name + ": " + key + " must be 64 hexadecimal"
          + " digits (the SHA-256 of the secret; or give the secret as "
          + key.replace("_sha256", "") + ")");
    }
    return h;
  }

  public static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> strings(JsonNode n) {
    Set<String> out = new LinkedHashSet<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static List<String> concat(Set<String> a, Set<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
