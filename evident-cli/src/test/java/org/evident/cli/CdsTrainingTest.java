package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.evident.detect.RuleSet;
import org.junit.jupiter.api.Test;

/**
 * The SecLang the launcher's class-data training scan compiles (evident-cli/cds-training): a
 * rule that no longer compiles would leave its classes out of the archive without a word, as
 * the training falls back to the built-in rules only when the whole load fails.
 */
class CdsTrainingTest {
  @Test
  void everyTrainingRuleCompiles() {
    RuleSet rules = RuleSet.parse(RuleSources.crs(Path.of("cds-training")));
    assertThat(rules.version()).isEqualTo("crs training");
    assertThat(rules.rules()).extracting(org.evident.detect.Rule::id).hasSizeGreaterThan(10)
        .allMatch(id -> id.startsWith("99"));
    assertThat(rules.skipped().keySet()).noneMatch(reason -> reason.startsWith("does not")
        || reason.startsWith("needs") || reason.contains("not applied"));
    assertThat(rules.allows()).isNotEmpty(); // the exclusion, as allow entries
  }
}
