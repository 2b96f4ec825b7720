package org.evident.stix;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.evident.json.YamlTrees;

/** The attack classes of rules/classes.yaml: names and CAPEC / ATT&amp;CK references. */
public final class AttackClasses {
  /** One class; {@code capec} and {@code attack} are [id, name] pairs, or null. */
  public record AttackClass(String key, String name, String description, String[] capec,
      String[] attack) {}

  private final Map<String, AttackClass> classes;

  private AttackClasses(Map<String, AttackClass> classes) {
    this.classes = classes;
  }

  /** The classes built into Evident (rules/classes.yaml in the jar). */
  public static AttackClasses builtIn() {
    try (InputStream in = AttackClasses.class.getClassLoader()
        .getResourceAsStream("rules/classes.yaml")) {
      if (in == null) {
        throw new IllegalStateException("rules/classes.yaml is missing from the jar");
      }
      JsonNode root = YamlTrees.read(new String(in.readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8));
      Map<String, AttackClass> m = new LinkedHashMap<>();
      root.path("classes").fields().forEachRemaining(e -> m.put(e.getKey(), new AttackClass(
          e.getKey(), e.getValue().path("name").asText(e.getKey()),
          e.getValue().path("description").asText(null), pair(e.getValue().get("capec")),
          pair(e.getValue().get("attack")))));
      return new AttackClasses(m);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read rules/classes.yaml", e);
    }
  }

  private static String[] pair(JsonNode n) {
    return n == null || n.size() != 2 ? null : new String[] {n.get(0).asText(), n.get(1).asText()};
  }

  /** The class, or a plain one named after an unknown key. */
  public AttackClass get(String key) {
    AttackClass c = classes.get(key);
    return c != null ? c : new AttackClass(key, key, null, null, null);
  }
}
