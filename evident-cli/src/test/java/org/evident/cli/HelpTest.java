package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The environment variables in the top-level help, each with its default unbroken: picocli
 * wraps a longer footer line where it falls, mid-word and without indentation (it once split
 * "evident.duckdb" in two).
 */
class HelpTest {
  @ParameterizedTest
  @CsvSource({"EVIDENT_DB, (default: evident.duckdb)",
      "EVIDENT_CACHE, (default: ~/.cache/evident)"})
  void theEnvironmentIsNamedWithItsDefault(String variable, String fallback) {
    Cli.Result r = Cli.run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("  " + variable + "  ", fallback);
  }
}
