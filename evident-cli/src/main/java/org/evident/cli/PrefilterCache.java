package org.evident.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.evident.detect.RuleSet;
import org.evident.evidence.Merkle;
import org.evident.json.JsonTrees;

/**
 * The rule patterns that compiled, and the prefilter literals read off them, kept between runs
 * in the cache folder. Reading the literals was most of the work of loading the OWASP CRS (half
 * a second of CPU on a cold JVM, a twentieth of a million-line scan), compiling its patterns
 * most of the rest, and a rule set's patterns rarely change from run to run.
 *
 * <p>The file is named after the build of Evident's code and of RE2/J (the path, size and time
 * of the jar, or the bytes of every class in its folder): literals are only ever reused by the
 * build that read them, as another build may read them otherwise, and a list that leaves out a
 * literal a match holds would keep its rule from running. A pattern is listed only once it has
 * compiled, so the same build may also leave compiling it until a rule runs it. Each pattern is
 * the key of its own list. A file that cannot be read or written is passed over: the literals
 * are then read off the patterns, as without a cache. The newest {@value CacheFiles#KEEP_FILES}
 * files are kept.
 */
final class PrefilterCache {
  /** More patterns than several CRS versions and rule packs hold: the file restarts beyond. */
  private static final int MAX_PATTERNS = 20_000;

  private final Path file;
  /** What the file held, and what this process has read since. */
  private final Map<String, List<String>> known;

  private PrefilterCache(Path file, Map<String, List<String>> known) {
    this.file = file;
    this.known = new LinkedHashMap<>(known);
  }

  /** The cache of this build in {@code folder}/prefilters; empty when it has none yet. */
  static PrefilterCache open(Path folder) {
    String build = build();
    if (build == null) {
      return new PrefilterCache(null, Map.of());
    }
    Path file = folder.resolve("prefilters").resolve(build + ".json");
    Map<String, List<String>> known = Map.of();
    if (Files.isRegularFile(file)) {
      try {
        known = read(Files.readAllBytes(file));
      } catch (IOException | RuntimeException e) {
        known = Map.of(); // damaged: written again below
      }
    }
    return new PrefilterCache(file, known);
  }

  /**
   * Whether this build compiled {@code pattern} before (only such patterns are kept): a rule set
   * may then leave compiling it until a rule runs it.
   */
  synchronized boolean knows(String pattern) {
    return known.containsKey(pattern);
  }

  /** Gives {@code rules} the literals this build read off their patterns before. */
  synchronized void reuseIn(RuleSet rules) {
    if (!known.isEmpty()) {
      rules.reusePatternLiterals(known);
    }
  }

  /**
   * Keeps {@code rules}' patterns and the literals read off them, when some are new. A pattern
   * whose literals were not read (its rule does not run at this paranoia level) is kept as
   * compiled, with null for its literals.
   */
  synchronized void keep(RuleSet rules) {
    if (file == null) {
      return;
    }
    Map<String, List<String>> news = news(rules);
    if (news.isEmpty()) {
      return;
    }
    if (known.size() + news.size() > MAX_PATTERNS) {
      known.clear();
      news = news(rules);
    }
    known.putAll(news);
    try {
      CacheFiles.replace(file, json(known));
    } catch (IOException | RuntimeException e) {
      // a cache that cannot be written costs the next run time, nothing else
    }
  }

  /** The file's map: pattern to its literals, null where they were not read. */
  private static Map<String, List<String>> read(byte[] json) throws IOException {
    JsonNode root = JsonTrees.read(json);
    if (!root.isObject()) {
      throw new IOException("not a cache");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      JsonNode v = e.getValue();
      if (v.isNull()) {
        out.put(e.getKey(), null);
        continue;
      }
      if (!v.isArray()) {
        throw new IOException("not a cache");
      }
      List<String> literals = new ArrayList<>(v.size());
      for (JsonNode l : v) {
        if (!l.isTextual()) {
          throw new IOException("not a cache");
        }
        literals.add(l.textValue());
      }
      out.put(e.getKey(), literals);
    }
    return out;
  }

  private static JsonNode json(Map<String, List<String>> known) {
    ObjectNode root = JsonTrees.object();
    known.forEach((pattern, literals) -> {
      if (literals == null) {
        root.putNull(pattern);
      } else {
        literals.forEach(root.putArray(pattern)::add);
      }
    });
    return root;
  }

  /** What {@code rules} would add: patterns not known, and literals not read before. */
  private Map<String, List<String>> news(RuleSet rules) {
    Map<String, List<String>> news = new LinkedHashMap<>();
    for (String p : rules.patterns()) {
      if (!known.containsKey(p)) {
        news.put(p, null);
      }
    }
    rules.patternLiterals().forEach((p, l) -> {
      if (known.get(p) == null) {
        news.put(p, l);
      }
    });
    return news;
  }

  /**
   * The build of the detection code and of RE2/J, which reads and compiles its patterns: a hash
   * over the path, size and time of the jar that holds them (every build writes the jar anew), or
   * the name and bytes of every file in a class folder; null when one cannot be read (no cache
   * then). Hashing the jar's classes instead cost 50 ms of a cold start, on the path of every
   * scan. Worked out once per process: both caches are named by it.
   */
  static String build() {
    return Build.ID;
  }

  /** Holds {@link #build()}, worked out when first asked for. */
  private static final class Build {
    static final String ID = ofCode();
  }

  private static String ofCode() {
    try {
      MessageDigest md = Merkle.sha256();
      Path evident = codeSource(RuleSet.class);
      Path re2j = codeSource(com.google.re2j.Pattern.class);
      if (evident == null || re2j == null) {
        return null;
      }
      if (!digest(evident, md) || !evident.equals(re2j) && !digest(re2j, md)) {
        return null; // (the runnable jar holds both)
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static Path codeSource(Class<?> c) throws URISyntaxException {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    return source == null ? null : Path.of(source.getLocation().toURI());
  }

  /** Adds a jar's path, size and time, or every file of a class folder. */
  private static boolean digest(Path where, MessageDigest md) throws IOException {
    if (Files.isRegularFile(where)) {
      md.update((where.toAbsolutePath() + "\0" + Files.size(where) + "\0"
          + Files.getLastModifiedTime(where).to(java.util.concurrent.TimeUnit.NANOSECONDS)
          + "\n").getBytes(StandardCharsets.UTF_8));
      return true;
    }
    if (Files.isDirectory(where)) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(where)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        md.update((where.relativize(f) + "\n").getBytes(StandardCharsets.UTF_8));
        md.update(Files.readAllBytes(f));
      }
      return true;
    }
    return false;
  }
}
