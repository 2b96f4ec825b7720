package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.evident.detect.Rule;
import org.evident.detect.RuleFile;
import org.evident.detect.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleTreeCacheTest {
  @TempDir
  Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RuleFile RULES = new RuleFile("t.yaml", """
      pack: t
      rules:
        - {id: T-1, class: sqli, msg: union, targets: [args], rx: 'union\\s+select'}
      allow:
        - {rule: T-1, path: /search}
      """);

  /** The cache's one file (each build writes its own). */
  private Path file() throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve("rule-trees"))) {
      List<Path> files = s.toList();
      assertThat(files).hasSize(1);
      return files.get(0);
    }
  }

  @Test
  void theNextRunReadsTheTreesOneRunParsed() throws Exception {
    RuleTreeCache first = RuleTreeCache.open(dir);
    assertThat(first.tree(RULES)).isEqualTo(RuleSet.tree(RULES));
    first.keep();
    // changed in the file: the next run's tree is the file's, not parsed again
    ObjectNode kept = (ObjectNode) JSON.readTree(file().toFile());
    String key = kept.fieldNames().next();
    ((ObjectNode) kept.get(key)).put("pack", "from the cache");
    JSON.writeValue(file().toFile(), kept);
    assertThat(RuleTreeCache.open(dir).tree(RULES).get("pack").asText())
        .isEqualTo("from the cache");
    // another text is another key
    RuleFile edited = new RuleFile("t.yaml", RULES.text().replace("pack: t", "pack: u"));
    assertThat(RuleTreeCache.open(dir).tree(edited).get("pack").asText()).isEqualTo("u");
  }

  /** The built-in pack read through the cache is the same rule set as parsed from its YAML. */
  @Test
  void rulesReadFromKeptTreesAreTheRulesTheYamlGives() {
    List<RuleFile> files = RuleSources.builtIn();
    RuleTreeCache first = RuleTreeCache.open(dir);
    RuleSet.parse(files, p -> false, first::tree);
    first.keep();
    RuleSet cached = RuleSet.parse(files, p -> false, RuleTreeCache.open(dir)::tree);
    RuleSet parsed = RuleSet.parse(files);
    assertThat(cached.sha256()).isEqualTo(parsed.sha256());
    assertThat(cached.rules()).hasSizeGreaterThan(100).extracting(Rule::id)
        .isEqualTo(parsed.rules().stream().map(Rule::id).toList());
    assertThat(cached.rules()).extracting(RuleTreeCacheTest::described)
        .isEqualTo(parsed.rules().stream().map(RuleTreeCacheTest::described).toList());
    assertThat(cached.patterns()).isEqualTo(parsed.patterns()).isNotEmpty();
    assertThat(cached.allows()).isEqualTo(parsed.allows());
    for (RuleFile f : files) {
      assertThat(RuleTreeCache.open(dir).tree(f)).as(f.name()).isEqualTo(RuleSet.tree(f));
    }
  }

  /** A rule's fields, its operator's and transformations' kinds (not their identities). */
  private static String described(Rule r) {
    return r.toString().replaceAll("@[0-9a-f]+", "");
  }

  /** A tree JSON cannot hold as the YAML parser gave it (bytes of a !!binary tag) is not kept. */
  @Test
  void aTreeThatJsonWouldChangeIsNotKept() throws Exception {
    RuleFile binary = new RuleFile("b.yaml", "pack: b\nblob: !!binary aGVsbG8=\n");
    RuleTreeCache cache = RuleTreeCache.open(dir);
    JsonNode tree = cache.tree(binary);
    assertThat(tree.get("blob").isBinary()).isTrue();
    cache.keep();
    assertThat(dir.resolve("rule-trees")).doesNotExist();
    assertThat(RuleTreeCache.open(dir).tree(binary).get("blob").isBinary()).isTrue();
  }

  /** An empty rule file (or one of comments only) has no tree to keep, and loads no rules. */
  @Test
  void anEmptyFileIsNotKept() {
    RuleFile empty = new RuleFile("empty.yaml", "# nothing yet\n");
    RuleTreeCache first = RuleTreeCache.open(dir);
    assertThat(first.tree(empty).isMissingNode()).isTrue();
    first.keep();
    assertThat(dir.resolve("rule-trees")).doesNotExist();
    RuleTreeCache cache = RuleTreeCache.open(dir);
    assertThat(RuleSet.parse(List.of(empty, RULES), p -> false, cache::tree).rules())
        .extracting(Rule::id).containsExactly("T-1");
    cache.keep();
    RuleTreeCache next = RuleTreeCache.open(dir);
    assertThat(next.tree(empty)).isEqualTo(RuleSet.tree(empty));
    next.keep();
    assertThat(RuleSet.parse(List.of(empty, RULES), p -> false, RuleTreeCache.open(dir)::tree)
        .rules()).extracting(Rule::id).containsExactly("T-1");
  }

  @Test
  void badYamlIsReportedAsWithoutTheCache() {
    RuleFile bad = new RuleFile("bad.yaml", "rules: [ {id: x\n");
    assertThatThrownBy(() -> RuleTreeCache.open(dir).tree(bad))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(
            "bad.yaml: not valid YAML: ");
  }

  @Test
  void aDamagedFileIsPassedOverAndWrittenAgain() throws Exception {
    RuleTreeCache.open(dir).keep(); // nothing parsed: nothing written
    assertThat(dir.resolve("rule-trees")).doesNotExist();
    RuleTreeCache first = RuleTreeCache.open(dir);
    first.tree(RULES);
    first.keep();
    Files.writeString(file(), "{\"abc\": {\"pack\"");
    RuleTreeCache damaged = RuleTreeCache.open(dir);
    assertThat(damaged.tree(RULES)).isEqualTo(RuleSet.tree(RULES));
    damaged.keep();
    assertThat(JSON.readTree(file().toFile()).size()).isEqualTo(1);
  }
}
