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

  /** The preload reads the specs as picocli will: repeatable, comma-separated, both spellings. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "scan a.log                                   | evident",
      "scan --rules crs a.log                       | crs",
      "scan --rules=evident,crs:/x a.log            | evident;crs:/x",
      "scan --rules evident --rules ./mine.yaml a   | evident;./mine.yaml",
      "scan -q --rules a.yaml,b.yaml -- --rules     | a.yaml;b.yaml",
      "scan a.log --rules                           | evident",
  })
  void preloadReadsTheSpecsTheCommandLineNames(String args, String specs) {
    assertThat(Main.rulesNamed(args.split(" +"))).containsExactly(specs.split(";"));
  }

  /**
   * Rules preloaded for this run's specs are the ones the command loads, with their detector;
   * other specs, or a later run, read the files afresh.
   */
  @Test
  void preloadedRulesServeOnlyTheirSpecsAndTheirRun(@TempDir Path dir) throws Exception {
    Path local = dir.resolve("local.yaml");
    Files.writeString(local, "settings: {threshold: 6}\n");
    List<String> specs = List.of("evident", local.toString());
    RuleSources.preload(specs);
    RuleSet loaded = RuleSources.load(specs);
    assertThat(loaded.threshold()).isEqualTo(6);
    assertThat(RuleSources.load(specs)).isSameAs(loaded);
    assertThat(new ScoringOptions().detector(loaded))
        .isSameAs(new ScoringOptions().detector(loaded));
    assertThat(RuleSources.load(List.of(local.toString()))).isNotSameAs(loaded);
    Files.writeString(local, "settings: {threshold: 8}\n");
    assertThat(RuleSources.load(specs)).isSameAs(loaded); // the same run: read once
    RuleSources.forgetPreload(); // as the next command line run does
    assertThat(RuleSources.load(specs).threshold()).isEqualTo(8);
  }

  /** A preload that fails says what the user got wrong when the command loads its rules. */
  @Test
  void aFailedPreloadReportsTheMistakeInASentence(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("a.log");
    Files.writeString(log, Cli.WARNING_LINE);
    Path missing = dir.resolve("no-such-rules");
    Cli.Result r = Cli.run("scan", "-q", "--no-geo", "--db", dir.resolve("a.duckdb").toString(),
        "--rules", "evident," + missing, log.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err().strip()).isEqualTo("evident: no rules at " + missing
        + " (use 'evident', a YAML file or a folder of them)");
    assertThat(r.err()).doesNotContain("Exception");
  }
}
