package org.evident.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.evident.cli.demo.TrafficGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evident generate}: synthetic logs for trying Evident out and for benchmarks. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Writes a synthetic month of web traffic in the combined format: benign"
        + " visitors and crawlers from many countries, with the variety of a real shop's log"
        + " (product pages, searches, campaign links, tokens, browser builds), plus attacks by"
        + " several actors and tools. The same seed always gives the same log.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the log was written",
        "1:the output cannot be written",
        "2:bad usage (a bad month, rate or zone)"})
final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--lines", paramLabel = "N", description = "Lines (default: ${DEFAULT-VALUE}).")
  long lines = 100_000;

  @Option(names = "--seed", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--month", paramLabel = "YYYY-MM",
      description = "Month of the traffic (default: ${DEFAULT-VALUE}).")
  String month = "2013-02";

  @Option(names = "--attack-rate", paramLabel = "R",
      description = "Share of attack lines (default: ${DEFAULT-VALUE}).")
  double attackRate = 0.03;

  @Option(names = "--vhost", paramLabel = "NAME",
      description = "Write vhost_combined lines for this site (default: plain combined).")
  String vhost;

  @Option(names = "--zone", paramLabel = "+HHMM",
      description = "UTC offset of the time stamps (default: ${DEFAULT-VALUE}).")
  String zone = "+0800";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() {
    YearMonth m;
    try {
      m = YearMonth.parse(month);
    } catch (DateTimeParseException e) {
      throw new UsageException("--month '" + month + "' is not a month; use YYYY-MM");
    }
    if (attackRate < 0 || attackRate > 1 || lines < 0) {
      throw new UsageException("--attack-rate must be within 0..1 and --lines not negative");
    }
    TrafficGenerator g;
    try {
      g = new TrafficGenerator(seed, m, vhost, attackRate, zone);
    } catch (java.time.DateTimeException e) {
      throw new UsageException("--zone '" + zone + "' is not a UTC offset; use e.g. +0800");
    }
    try (Writer w = Output.open(output, System.out)) {
      g.write(lines, w);
    } catch (IOException e) {
      throw new UserException("cannot write: " + e.getMessage());
    }
    return 0;
  }
}
