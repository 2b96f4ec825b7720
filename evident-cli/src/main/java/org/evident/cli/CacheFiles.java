package org.evident.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.evident.json.JsonTrees;

/**
 * Writing the JSON files the caches kept between runs ({@link PrefilterCache},
 * {@link RuleTreeCache}): each build of Evident writes its own file in the cache's folder, whole
 * or not at all, and the folder keeps the newest few.
 */
final class CacheFiles {
  private CacheFiles() {}

  /** How many files a cache's folder keeps: builds in use side by side, and the ones before. */
  static final int KEEP_FILES = 4;

  /**
   * Writes {@code value} as JSON to {@code file} (replacing it at once, so a reader never sees
   * half of it), then deletes all but the newest {@value #KEEP_FILES} files of its folder.
   */
  static void replace(Path file, JsonNode value) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "cache", ".tmp");
    try {
      Files.write(tmp, JsonTrees.write(value).getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
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
}
