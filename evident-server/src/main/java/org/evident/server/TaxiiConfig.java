package org.evident.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
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
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getMessage().split("\n")[0]);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("empty configuration");
    }
    String apiRoot = root.path("api_root").asText("evident");
    if (!apiRoot.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("api_root must be letters, digits, '-' or '_'");
    }
    List<Collection> cols = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode c : root.path("collections")) {
      String alias = c.path("alias").asText(null);
      if (alias == null || !alias.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("every collection needs an alias of letters, digits,"
            + " '-' or '_'");
      }
      String id = c.path("id").asText(UUID.nameUUIDFromBytes(("evident-collection:" + alias)
          .getBytes(StandardCharsets.UTF_8)).toString());
      if (!names.add(alias) || !names.add(id)) {
        throw new IllegalArgumentException("collection " + alias + " is defined twice");
      }
      Map<String, String> publish = null;
      if (c.has("publish")) {
        publish = new LinkedHashMap<>();
        for (String k : List.of("site", "country", "class", "since", "until")) {
          if (c.path("publish").hasNonNull(k)) {
            publish.put(k, c.path("publish").get(k).asText());
          }
        }
      }
      cols.add(new Collection(id, alias, c.path("title").asText(alias),
          c.path("description").asText(null), publish));
    }
    List<User> users = new ArrayList<>();
    for (JsonNode u : root.path("users")) {
      String name = u.path("name").asText(null);
      if (name == null || name.isBlank() || name.contains(":")) {
        throw new IllegalArgumentException("every user needs a name without ':'");
      }
      String pw = u.hasNonNull("password_sha256") ? u.get("password_sha256").asText()
          : u.hasNonNull("password") ? sha256(u.get("password").asText()) : null;
      String token = u.hasNonNull("token_sha256") ? u.get("token_sha256").asText()
          : u.hasNonNull("token") ? sha256(u.get("token").asText()) : null;
      if (pw == null && token == null) {
        throw new IllegalArgumentException("user " + name + " has neither a password nor a"
            + " token");
      }
      Set<String> read = strings(u.path("read"));
      Set<String> write = strings(u.path("write"));
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
