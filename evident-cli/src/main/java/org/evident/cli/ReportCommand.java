package org.evident.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.evident.report.ReportFormat;
import org.evident.store.EvidentStore;
import org.evident.store.MonthReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evident report}: the month's figures in words, tables and charts. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {
        "Writes the report of one month: a headline in plain words, then attacks by country,"
            + " network (AS), class, target path, tool, top source IPs and day, with the rules"
            + " and location data that produced them.",
        "",
        "Formats: text (default), md, json (documented in docs/report-json.md), csv, and html"
            + " (one self-contained page with charts that opens offline)."})
final class ReportCommand implements Callable<Integer> {

  @Mixin
  StoreOption store;

  @Option(names = "--month", paramLabel = "YYYY-MM",
      description = "The month, UTC (default: the latest month in the database).")
  String month;

  @Option(names = "--site", paramLabel = "NAME", description = "One site (default: all).")
  String site;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "text, md, json, csv or html (default: ${DEFAULT-VALUE}).")
  String format = "text";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Option(names = "--top", paramLabel = "N",
      description = "Rows per ranked table (default: ${DEFAULT-VALUE}).")
  int top = 10;

  @Override
  public Integer call() {
    ReportFormat f = format(format);
    try (EvidentStore db = EvidentStore.openReadOnly(store.path())) {
      MonthReport r = build(db, month, site, top);
      try (Writer w = Output.open(output, System.out)) {
        f.render(r, w);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return 0;
  }

  static ReportFormat format(String name) {
    for (ReportFormat f : ReportFormat.values()) {
      if (f.label().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new UserException("unknown report format '" + name + "'; use text, md, json, csv or"
        + " html");
  }

  static MonthReport build(EvidentStore db, String month, String site, int top) {
    String m = month;
    if (m == null) {
      m = db.latestMonth();
      if (m == null) {
        throw new UserException("the database holds no traffic yet; scan some logs first");
      }
    }
    try {
      YearMonth.parse(m);
    } catch (DateTimeParseException e) {
      throw new UserException("--month '" + m + "' is not a month; use YYYY-MM, e.g. 2013-02");
    }
    if (top < 1) {
      throw new UserException("--top must be at least 1");
    }
    return db.monthReport(m, site, top);
  }
}
