package org.evident.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.evident.detect.RuleSet;
import org.evident.evidence.Merkle;

/**
 * The prefilter literals read off rule patterns, kept between runs in the cache folder. Reading
 * them is most of the work of loading the OWASP CRS (half a second of CPU on a cold JVM, a
 * twentieth of a million-line scan), and a rule set's patterns rarely change from run to run.
 *
 * <p>The file is named after the build of Evident's code (the CRC of every class in its jar, or
 * the bytes of every class in its folder): literals are only ever reused by the build that read
 * them, as another build may read them otherwise, and a list that leaves out a literal a match
 * holds would keep its rule from running. Each pattern is the key of its own list. A file that
 * cannot be read or written is passed over: the literals are then read off the patterns, as
 * without a cache. The newest {@value #KEEP_FILES} files are kept.
 */
final class PrefilterCache {
  private static final int KEEP_FILES = 4;
  /** More patterns than several CRS versions and rule packs hold: the file restarts beyond. */
  private static final int MAX_PATTERNS = 20_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, List<String>>> TYPE = new TypeReference<>() {};

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
        known = JSON.readValue(file.toFile(), TYPE);
      } catch (IOException | RuntimeException e) {
        known = Map.of(); // damaged: written again below
      }
    }
    return new PrefilterCache(file, known);
  }

  /** Gives {@code rules} the literals this build read off their patterns before. */
  synchronized void reuseIn(RuleSet rules) {
    if (!known.isEmpty()) {
      rules.reusePatternLiterals(known);
    }
  }

  /** Keeps the literals read off {@code rules}' patterns, when some are new. */
  synchronized void keep(RuleSet rules) {
    if (file == null) {
      return;
    }
    Map<String, List<String>> read = rules.patternLiterals();
    if (known.keySet().containsAll(read.keySet())) {
      return;
    }
    if (known.size() + read.size() > MAX_PATTERNS) {
      known.clear();
    }
    known.putAll(read);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "prefilters", ".tmp");
      try {
        JSON.writeValue(tmp.toFile(), known);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      prune(file.getParent());
    } catch (IOException | RuntimeException e) {
      // a cache that cannot be written costs the next run time, nothing else
    }
  }

  /** Deletes all but the newest files: each build of Evident writes its own. */
  private static void prune(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json"))
          .sorted(Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed())
          .toList();
    }
    for (Path old : files.subList(Math.min(KEEP_FILES, files.size()), files.size())) {
      Files.deleteIfExists(old);
    }
  }

  /**
   * The build of the detection code: a hash over the name, size and CRC of every Evident class
   * in the jar that holds it, or the name and bytes of every file in its class folder; null when
   * neither can be read (no cache then).
   */
  static String build() {
    try {
      CodeSource source = RuleSet.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path where = Path.of(source.getLocation().toURI());
      MessageDigest md = Merkle.sha256();
      if (Files.isRegularFile(where)) {
        try (ZipFile jar = new ZipFile(where.toFile())) {
          jar.stream().filter(e -> e.getName().startsWith("org/evident/"))
              .sorted(Comparator.comparing(java.util.zip.ZipEntry::getName))
              .forEach(e -> md.update((e.getName() + '\0' + e.getSize() + '\0' + e.getCrc()
                  + '\n').getBytes(StandardCharsets.UTF_8)));
        }
      } else if (Files.isDirectory(where)) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(where)) {
          files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
          md.update((where.relativize(f) + "\n").getBytes(StandardCharsets.UTF_8));
          md.update(Files.readAllBytes(f));
        }
      } else {
        return null;
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
