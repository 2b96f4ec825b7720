package org.evident.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import org.evident.cli.demo.TrafficGenerator;
import org.evident.report.Headline;
import org.evident.report.ReportFormat;
import org.evident.store.EvidentStore;
import org.evident.store.MonthReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evident demo}: the main job end to end on an embedded default. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs the whole job on a generated month: writes a realistic log for the"
        + " demo site shop.example (February 2013, fixed seed), scans it, and writes a"
        + " self-contained HTML report. Prints the headline and where the report is.",
        "Everything goes into the folder given by --dir; run it again to start afresh."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the report was written",
        "1:the demo could not be generated, scanned or reported (its folder cannot be"
            + " written, say)",
        "2:bad usage"})
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Working folder (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of("evident-demo");

  @Option(names = "--lines", paramLabel = "N",
      description = "Lines of traffic (default: ${DEFAULT-VALUE}).")
  long lines = 300_000;

  @Option(names = "--seed", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed = 2013;

  @Option(names = "--no-geo", description = "Do not locate sources (no download).")
  boolean noGeo;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    Files.createDirectories(dir);
    Path log = dir.resolve("shop.example-access.log");
    Path db = dir.resolve("demo.duckdb");
    Files.deleteIfExists(db);
    Files.deleteIfExists(dir.resolve("demo.duckdb.wal"));
    String month = "2013-02";
    out.println("Writing " + String.format("%,d", lines) + " lines of traffic to " + log + " ...");
    try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      new TrafficGenerator(seed, YearMonth.parse(month), null, 0.03, "+0800").write(lines, w);
    }
    ScanCommand scan = new ScanCommand();
    scan.paths = List.of(log.toString());
    scan.store = new StoreOption();
    scan.store.db = db;
    scan.noGeo = noGeo;
    scan.quiet = true;
    int rc = scan.scan(out, System.err);
    if (rc != 0) {
      return rc;
    }
    Path html = dir.resolve("report-" + month + ".html");
    MonthReport r;
    try (EvidentStore store = EvidentStore.openReadOnly(db)) {
      r = ReportCommand.build(store, month, null, 10);
    }
    try (Writer w = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
      ReportFormat.HTML.render(r, w);
    }
    out.println();
    out.println(Headline.of(r));
    out.println();
    out.println("Report: " + html.toAbsolutePath());
    out.println("Next:   " + Main.launcher() + " report --db " + db + " --month " + month
        + "   (or --format md|json|csv|html)");
    return 0;
  }
}
