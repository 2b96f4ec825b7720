package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.evident.detect.Detector;
import org.evident.detect.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSourcesTest {
  /**
   * The built-in pack is compiled once per process, possibly ahead of time on a thread of its
   * own: every load of it must still give the pack the jar holds, and the same instance.
   */
  @Test
  void builtInPackIsCompiledOnceAndIsTheJarsPack() {
    RuleSources.preloadBuiltIn();
    RuleSet first = RuleSources.load(List.of("evident"));
    RuleSet again = RuleSources.load(List.of("evident"));
    assertThat(again).isSameAs(first);
    RuleSet fresh = RuleSet.parse(RuleSources.builtIn());
    assertThat(first.sha256()).isEqualTo(fresh.sha256());
    assertThat(first.version()).isEqualTo(fresh.version());
    assertThat(first.rules()).hasSameSizeAs(fresh.rules());
  }

  /**
   * Without scoring flags a command gets the detector the preload made; a flag that changes the
   * scoring gets a detector of its own.
   */
  @Test
  void preloadedDetectorServesOnlyTheScoringItWasMadeFor() {
    RuleSources.preloadBuiltIn();
    RuleSet builtIn = RuleSources.load(List.of("evident"));
    Detector plain = new ScoringOptions().detector(builtIn);
    assertThat(new ScoringOptions().detector(builtIn)).isSameAs(plain);
    assertThat(plain.paranoia()).isEqualTo(Detector.DEFAULT_PARANOIA);
    assertThat(plain.threshold()).isEqualTo(Detector.DEFAULT_THRESHOLD);
    ScoringOptions flagged = new ScoringOptions();
    flagged.paranoia = 2;
    Detector second = flagged.detector(builtIn);
    assertThat(second).isNotSameAs(plain);
    assertThat(second.paranoia()).isEqualTo(2);
    ScoringOptions sameAsDefault = new ScoringOptions();
    sameAsDefault.threshold = Detector.DEFAULT_THRESHOLD; // a flag that changes nothing
    assertThat(sameAsDefault.detector(builtIn)).isSameAs(plain);
    ScoringOptions stricter = new ScoringOptions();
    stricter.threshold = 3;
    assertThat(stricter.detector(builtIn).threshold()).isEqualTo(3);
  }

  /** Any other combination is read afresh: a user's files can change between runs. */
  @Test
  void otherSpecsAreReadAfresh(@TempDir Path dir) throws Exception {
    Path local = dir.resolve("local.yaml");
    Files.writeString(local, "settings: {threshold: 5}\n");
    List<String> specs = List.of("evident", local.toString());
    RuleSet withLocal = RuleSources.load(specs);
    assertThat(withLocal).isNotSameAs(RuleSources.load(List.of("evident")));
    Files.writeString(local, "settings: {threshold: 7}\n");
    assertThat(RuleSources.load(specs).threshold()).isEqualTo(7);
  }
}
