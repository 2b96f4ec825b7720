package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.evident.detect.Detector;
import org.evident.detect.RuleFile;
import org.evident.detect.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefilterCacheTest {
  @TempDir
  Path dir;

  private static final String RULES = """
      rules:
        - {id: T-1, class: sqli, msg: t, targets: [args], rx: 'union\\s+select'}
        - {id: T-2, class: xss, msg: t, targets: [args], rx: '<script[^>]*>'}
      """;

  private static RuleSet rules() {
    return RuleSet.parse(List.of(new RuleFile("t.yaml", RULES)));
  }

  /** A rule set whose detector has read its literals. */
  private static RuleSet read() {
    RuleSet r = rules();
    new Detector(r);
    return r;
  }

  /** A rule set of the next run is given the two lists that {@code read} read. */
  private void assertTheNextRunReuses(RuleSet read) {
    RuleSet after = rules();
    PrefilterCache.open(dir).reuseIn(after);
    assertThat(after.patternLiterals()).isEqualTo(read.patternLiterals()).hasSize(2);
  }

  private Path file() {
    return dir.resolve("prefilters").resolve(PrefilterCache.build() + ".json");
  }

  @Test
  void theBuildIsNamedByItsCode() {
    assertThat(PrefilterCache.build()).matches("[0-9a-f]{64}")
        .isEqualTo(PrefilterCache.build());
  }

  @Test
  void literalsReadInOneRunAreGivenToTheNext() {
    RuleSet first = read();
    PrefilterCache.open(dir).keep(first);
    assertThat(file()).isRegularFile();

    RuleSet next = rules();
    PrefilterCache reopened = PrefilterCache.open(dir);
    reopened.reuseIn(next);
    assertThat(next.patternLiterals()).isEqualTo(first.patternLiterals()).hasSize(2);
    // a pattern is listed once it has compiled: the next run may compile it when first run
    assertThat(reopened.knows("union\\s+select")).isTrue();
    assertThat(reopened.knows("union\\s+all")).isFalse();
    assertThat(PrefilterCache.open(dir.resolve("none")).knows("union\\s+select")).isFalse();
  }

  /**
   * Patterns whose literals no detector read (rules above the paranoia level) are kept as
   * compiled, without literals; literals read later are added to them.
   */
  @Test
  void patternsWithoutLiteralsAreKeptAsCompiled() throws Exception {
    PrefilterCache.open(dir).keep(rules());
    PrefilterCache cache = PrefilterCache.open(dir);
    assertThat(cache.knows("union\\s+select")).isTrue();
    assertThat(cache.knows("<script[^>]*>")).isTrue();
    RuleSet next = rules();
    cache.reuseIn(next);
    assertThat(next.patternLiterals()).isEmpty();

    RuleSet read = read();
    cache.keep(read);
    assertTheNextRunReuses(read);
  }

  @Test
  void aDamagedFileIsPassedOverAndWrittenAgain() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{\"union\\\\s+select\": [\"zz");
    RuleSet next = rules();
    PrefilterCache cache = PrefilterCache.open(dir);
    cache.reuseIn(next);
    assertThat(next.patternLiterals()).isEmpty();
    new Detector(next);
    cache.keep(next);
    assertTheNextRunReuses(next);
  }

  @Test
  void onlyTheNewestBuildsAreKept() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("prefilters"));
    for (int i = 0; i < 6; i++) {
      Path old = folder.resolve("old" + i + ".json");
      Files.writeString(old, "{}");
      Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600 + i)));
    }
    PrefilterCache.open(dir).keep(read());
    try (Stream<Path> s = Files.list(folder)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList())
          .containsExactlyInAnyOrder(file().getFileName().toString(), "old0.json", "old1.json",
              "old2.json");
    }
  }

  @Test
  void nothingIsWrittenWhenNothingNewWasRead() throws Exception {
    PrefilterCache.open(dir).keep(read());
    FileTime written = FileTime.from(Instant.now().minusSeconds(60));
    Files.setLastModifiedTime(file(), written);
    RuleSet again = rules();
    PrefilterCache cache = PrefilterCache.open(dir);
    cache.reuseIn(again);
    new Detector(again);
    cache.keep(again);
    assertThat(Files.getLastModifiedTime(file())).isEqualTo(written);
    assertThat(Map.copyOf(again.patternLiterals())).hasSize(2);
  }
}
