package org.evident.cli;

import java.io.PrintWriter;
import org.evident.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code evident} command and its exit codes. */
@Command(
    name = "evident",
    mixinStandardHelpOptions = true,
    version = "evident 0.1.0",
    description = {
        "Counts the attacks your web sites took, from their logs, with the evidence behind"
            + " every number: what, when, from where, by whom.",
        "",
        "Start with 'evident demo', then 'evident scan access.log' and"
            + " 'evident report --month YYYY-MM'."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:the command could not do its work (a bad path, an empty database, nothing readable);"
            + " one line on standard error says why",
        "2:bad usage (an unknown option, a bad option value, or options that do not go"
            + " together); one line says what, the next where to read more",
        "3:evidence did not verify (evident verify lists each failed check)",
        "70:internal error (a bug: please report it with the stack trace)"},
    footerHeading = "%nEnvironment:%n",
    footer = {
        "  EVIDENT_DB     database file used when --db is not given",
        "                 (default: evident.duckdb)",
        "  EVIDENT_CACHE  where location data, the rule patterns that compiled with their",
        "                 prefilter literals, and the parsed trees of YAML rule files are",
        "                 kept (default: ~/.cache/evident)"})
public final class Main implements Runnable {
  /** The subcommands, in the order help lists them. */
  static final java.util.List<Class<?>> COMMANDS = java.util.List.of(DemoCommand.class,
      ScanCommand.class, ReportCommand.class, TopCommand.class, EventsCommand.class,
      SqlCommand.class, ExplainCommand.class, TuneCommand.class, GenerateCommand.class,
      KeygenCommand.class, DiscloseCommand.class, VerifyCommand.class, ExportCommand.class,
      ImportCommand.class, ServeCommand.class, CommandLine.HelpCommand.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code, without exiting (for tests). */
  public static int execute(String... args) {
    Class<?> only = named(args);
    RuleSources.forgetPreload();
    if (only != null && RULE_COMMANDS.contains(only)) {
      RuleSources.preload(rulesNamed(args));
    }
    return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
        only).execute(args);
  }

  /**
   * The rule specs that {@code --rules} options name, as picocli will read them (repeatable,
   * comma-separated), or the built-in pack when there are none. A guess made before picocli
   * parses the line, for preloading: a wrong one only costs the preload.
   */
  static java.util.List<String> rulesNamed(String[] args) {
    java.util.List<String> specs = new java.util.ArrayList<>();
    for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
      String value = args[i].startsWith("--rules=") ? args[i].substring("--rules=".length())
          : args[i].equals("--rules") && i + 1 < args.length ? args[++i] : null;
      if (value != null) {
        specs.addAll(java.util.Arrays.asList(value.split(",")));
      }
    }
    return specs.isEmpty() ? java.util.List.of("evident") : specs;
  }

  /** The commands that judge requests with the built-in rules unless --rules says otherwise. */
  private static final java.util.Set<Class<?>> RULE_COMMANDS =
      java.util.Set.of(ScanCommand.class, DemoCommand.class, ExplainCommand.class,
          TuneCommand.class);

  /**
   * The subcommand the arguments name, or null. Picocli reads the annotations of every command
   * it is given (a tenth of a second on a cold JVM): a run that names its command builds only
   * that one.
   */
  private static Class<?> named(String[] args) {
    for (String a : args) {
      if (a.startsWith("-")) {
        return null; // options before the command: leave it all to picocli
      }
      for (Class<?> c : COMMANDS) {
        Command cmd = c.getAnnotation(Command.class);
        if (c != CommandLine.HelpCommand.class && (cmd.name().equals(a)
            || java.util.Arrays.asList(cmd.aliases()).contains(a))) {
          return c;
        }
      }
      return null;
    }
    return null;
  }

  /**
   * Evident as the user called it, for the commands a run suggests next: the launcher's path as
   * typed ({@code ./evident}, {@code /opt/evident/evident}; it passes it as the property
   * {@code evident.launcher}), or the jar run alone.
   */
  static String launcher() {
    return System.getProperty("evident.launcher", "java -jar evident.jar");
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, null);
  }

  /** The command line with every subcommand, or only {@code only} when that is not null. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, Class<?> only) {
    CommandLine cl = new CommandLine(new Main());
    for (Class<?> c : only == null ? COMMANDS : java.util.List.of(only)) {
      cl.addSubcommand(c);
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, line, parse) -> {
      if (ex instanceof UsageException) {
        return usage(line, ex.getMessage());
      }
      if (ex instanceof UserException || ex instanceof StoreException) {
        line.getErr().println("evident: " + ex.getMessage());
        return 1;
      }
      line.getErr().println("evident: internal error (a bug; please report it):");
      ex.printStackTrace(line.getErr());
      return 70;
    });
    cl.setParameterExceptionHandler((ex, args) -> usage(ex.getCommandLine(), ex.getMessage()));
    return cl;
  }

  /** A usage error: what was wrong, where to read how it is done, exit code 2. */
  private static int usage(CommandLine c, String message) {
    c.getErr().println("evident: " + message);
    c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more.");
    return 2;
  }
}
