package org.evident.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.evident.report.ReportFormat;
import org.evident.report.TerminalText;
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
            + " (one self-contained page with charts that opens offline).",
        "",
        "With --sign it also writes an evidence bundle (docs/evidence.md): the report's counts"
            + " by country and class, signed with the site key, with the chain of tree heads"
            + " committing to the log lines they were counted from and the rule set used."
            + " Anyone can check it with 'evident verify BUNDLE --pubkey site.pub'."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:report written",
        "1:no database, nothing scanned in the month (or for the site), or no key to sign with",
        "2:bad usage"})
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

  @Option(names = "--sign", description = "Also write a signed evidence bundle.")
  boolean sign;

  @Option(names = "--bundle", paramLabel = "FILE", description = "Where the signed bundle goes"
      + " (default: the report file's name + .evidence.json; needed without -o).")
  Path bundle;

  @Mixin
  KeyOption key;

  @Override
  public Integer call() {
    ReportFormat f = format(format);
    checkMonthAndTop(month, top); // before the database: a bad value is told even without one
    org.evident.evidence.SiteKey signer = null;
    Path bundleFile = bundle;
    if (sign) {
      if (bundleFile == null) {
        if (output == null) {
          throw new UsageException("--sign needs -o FILE or --bundle FILE: the bundle is written"
              + " beside the report");
        }
        bundleFile = output.resolveSibling(output.getFileName() + ".evidence.json");
      }
      signer = key.load();
    }
    try (EvidentStore db = EvidentStore.openReadOnly(store.path())) {
      MonthReport r = build(db, month, site, top);
      try (Writer w = Output.open(output, System.out)) {
        f.render(r, w);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (signer != null) {
        Evidence.writeReportBundle(db, r, signer, bundleFile);
        System.err.println("evident: signed evidence bundle written to " + bundleFile);
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
    throw new UsageException("unknown report format '" + name + "'; use text, md, json, csv or"
        + " html");
  }

  private static void checkMonthAndTop(String month, int top) {
    if (month != null) {
      try {
        YearMonth.parse(month);
      } catch (DateTimeParseException e) {
        throw new UsageException("--month '" + month + "' is not a month; use YYYY-MM, e.g."
            + " 2013-02");
      }
    }
    if (top < 1) {
      throw new UsageException("--top must be at least 1");
    }
  }

  /**
   * The report of {@code month} (YYYY-MM, as {@link #checkMonthAndTop} checks it), or of the
   * latest month scanned when it is null; refused when nothing of it was scanned.
   */
  static MonthReport build(EvidentStore db, String month, String site, int top) {
    String m = month;
    if (m == null) {
      m = db.latestMonth();
      if (m == null) {
        throw new UserException("the database holds no traffic yet; scan some logs first");
      }
    }
    MonthReport r = db.monthReport(m, site, top);
    if (r.requests() == 0) {
      throw new UserException(nothingScanned(db.coverage(), m, site));
    }
    return r;
  }

  /**
   * Why a month's report would be empty: no line of that month (or site) was scanned. Saying
   * "0 attack requests" then would be a claim without evidence, so the report is refused.
   */
  static String nothingScanned(java.util.SortedMap<String, java.util.List<String>> coverage,
      String month, String site) {
    String when = org.evident.report.Headline.monthName(month);
    java.util.List<String> sites = coverage.get(month);
    if (site != null && sites != null) {
      return "no request for site '" + TerminalText.safe(site) + "' was scanned in " + when
          + "; that month the database holds " + String.join(", ", sites.stream()
              .map(TerminalText::safe).toList());
    }
    String months = coverage.size() <= 6 ? String.join(", ", coverage.keySet())
        : coverage.firstKey() + " to " + coverage.lastKey();
    return "no request " + (site == null ? "" : "for site '" + TerminalText.safe(site) + "' ")
        + "was scanned in " + when + "; the database holds " + (coverage.isEmpty()
            ? "no traffic yet" : months);
  }
}
