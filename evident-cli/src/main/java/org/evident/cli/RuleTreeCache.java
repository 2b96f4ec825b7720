package org.evident.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.evident.detect.RuleFile;
import org.evident.detect.RuleSet;
import org.evident.evidence.Merkle;
import org.evident.json.JsonTrees;

/**
 * The trees of the YAML rule files parsed in earlier runs, kept as JSON in the cache folder.
 * On a cold JVM the YAML parser takes 80 ms over the built-in pack's 54 KB, on the path of every
 * command that judges requests, and the same trees read from JSON take a few (a one-line scan
 * 50 ms faster, BENCHMARKS.md).
 *
 * <p>A tree is found by the SHA-256 of its file's text, in a file named after the build of
 * Evident and the version of the YAML parser, and is kept only when it reads back from JSON equal
 * to what the YAML parser gave (a YAML tag such as {@code !!binary} would not): the rules are
 * then the same either way, and the rule set's SHA-256 that every report carries is still that of
 * the files' text. The cache is trusted as the jar beside it is (the same user writes both). A
 * file that cannot be read or written is passed over: the YAML is then parsed, as without a
 * cache. The newest {@value CacheFiles#KEEP_FILES} files are kept.
 */
final class RuleTreeCache {
  /** More files than any set of rule packs holds: the file restarts beyond. */
  private static final int MAX_TREES = 2_000;

  private final Path file;
  /** What the file held. */
  private final Map<String, JsonNode> known;
  /** The trees parsed since it was read, not written yet. */
  private final Map<String, JsonNode> parsed = new LinkedHashMap<>();

  private RuleTreeCache(Path file, Map<String, JsonNode> known) {
    this.file = file;
    this.known = new LinkedHashMap<>(known);
  }

  /** The cache of this build in {@code folder}/rule-trees; empty when it has none yet. */
  static RuleTreeCache open(Path folder) {
    String build = PrefilterCache.build();
    if (build == null) {
      return new RuleTreeCache(null, Map.of());
    }
    String parser = com.fasterxml.jackson.dataformat.yaml.PackageVersion.VERSION.toString();
    Path file = folder.resolve("rule-trees").resolve(sha256(build + "\0" + parser) + ".json");
    Map<String, JsonNode> known = Map.of();
    if (Files.isRegularFile(file)) {
      try {
        JsonNode root = JsonTrees.read(Files.readAllBytes(file));
        if (!root.isObject()) {
          throw new IOException("not a cache");
        }
        Map<String, JsonNode> trees = new LinkedHashMap<>();
        root.properties().forEach(e -> trees.put(e.getKey(), e.getValue()));
        known = trees;
      } catch (IOException | RuntimeException e) {
        known = Map.of(); // damaged: written again by the next keep
      }
    }
    return new RuleTreeCache(file, known);
  }

  /**
   * The tree of YAML rule file {@code f}: as an earlier run parsed it, else parsed now (and
   * written by {@link #keep}).
   *
   * @throws IllegalArgumentException as {@link RuleSet#tree} does
   */
  synchronized JsonNode tree(RuleFile f) {
    String key = sha256(f.text());
    JsonNode t = known.get(key);
    if (t == null) {
      t = parsed.get(key);
    }
    if (t == null) {
      t = RuleSet.tree(f);
      parsed.put(key, t);
    }
    return t;
  }

  /** Writes the trees parsed since the last write that read back the same from JSON. */
  synchronized void keep() {
    if (file == null || parsed.isEmpty()) {
      return;
    }
    Map<String, JsonNode> news = new LinkedHashMap<>();
    parsed.forEach((key, tree) -> {
      if (tree != null && roundTrips(tree)) {
        news.put(key, tree);
      }
    });
    parsed.clear();
    if (news.isEmpty()) {
      return;
    }
    if (known.size() + news.size() > MAX_TREES) {
      known.clear();
    }
    known.putAll(news);
    try {
      ObjectNode root = JsonTrees.object();
      known.forEach(root::set);
      CacheFiles.replace(file, root);
    } catch (IOException | RuntimeException e) {
      // a cache that cannot be written costs the next run time, nothing else
    }
  }

  /** Whether JSON gives {@code tree} back as it is (not an empty file's missing node). */
  private static boolean roundTrips(JsonNode tree) {
    try {
      return tree.equals(JsonTrees.read(JsonTrees.write(tree)));
    } catch (IOException | RuntimeException e) { // a YAML tag's binary or object node
      return false;
    }
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(Merkle.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
