package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** What the help pages say, as a man page would. */
class HelpTest {
  /**
   * The environment variables in the top-level help, each with its default unbroken: picocli
   * wraps a longer footer line where it falls, mid-word and without indentation (it once split
   * "evident.duckdb" in two).
   */
  @ParameterizedTest
  @CsvSource({"EVIDENT_DB, (default: evident.duckdb)",
      "EVIDENT_CACHE, (default: ~/.cache/evident)"})
  void theEnvironmentIsNamedWithItsDefault(String variable, String fallback) {
    Cli.Result r = Cli.run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("  " + variable + "  ", fallback);
  }

  /**
   * Every command's help ends as a man page's does, with what its exit codes mean: a script
   * must tell bad usage (2) from a command that could not do its work (1) without reading the
   * top-level help.
   */
  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandsHelpListsItsExitCodes(String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add("--help");
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).isZero();
    // a '%' in a description that picocli cannot format (%{Cookie}i) prints a warning instead
    assertThat(r.err()).as(command + " --help").isEmpty();
    int at = r.out().indexOf("\nExit codes:\n");
    assertThat(at).as(command + " --help has no exit codes").isPositive();
    assertThat(r.out().substring(at).lines().filter(l -> l.matches("  [0-9]+ +\\S.*"))
        .map(l -> l.strip().split(" ")[0])).contains("0", "1", "2");
  }

  /** Every command that does work: a subcommand's own, for a command that only groups them. */
  static Stream<String> commands() {
    return Main.COMMANDS.stream().filter(c -> c != CommandLine.HelpCommand.class)
        .flatMap(c -> {
          CommandLine.Command a = c.getAnnotation(CommandLine.Command.class);
          return a.subcommands().length == 0 ? Stream.of(a.name())
              : Stream.of(a.subcommands()).map(s -> a.name() + " "
                  + s.getAnnotation(CommandLine.Command.class).name());
        });
  }

  /** A command that only groups others, given none, is bad usage and says what to give. */
  @org.junit.jupiter.api.Test
  void aGroupWithoutItsCommandIsBadUsage() {
    Cli.Result r = Cli.run("export");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("evident: name what to export: stix\n");
  }
}
