package org.evident.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.evident.report.CsvCell;
import org.evident.report.Headline;
import org.evident.report.TerminalText;
import org.evident.store.CountRow;
import org.evident.store.Dimension;
import org.evident.store.EventFilter;
import org.evident.store.EvidentStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evident top}: quick rankings. */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = {"Ranks attack requests by source IP, country, AS, target path, class, tool,"
        + " site or rule, over all time, a --month or --since/--until, for one --site, --country"
        + " or --class if asked. By rule, a request counts once for each rule it matched (what"
        + " to look at before tuning).",
        "Example: evident top ips --class sqli --month 2013-02"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ranked (\"No attacks in that range.\" when none match)",
        "1:no database, or it cannot be read",
        "2:bad usage (an unknown WHAT or format, a bad or backwards time, a country that is not"
            + " two letters)"})
final class TopCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "WHAT",
      description = "ips, countries, asns, urls, classes, tools, sites or rules.")
  String what;

  @Mixin
  StoreOption store;

  @Mixin
  Selection selection;

  @Option(names = {"-n", "--limit"}, paramLabel = "N",
      description = "How many rows (default: ${DEFAULT-VALUE}).")
  int limit = 20;

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or csv.")
  String format = "text";

  @Override
  public Integer call() {
    Dimension d;
    try {
      d = Dimension.valueOf(what.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("cannot rank by '" + what + "'; use ips, countries, asns, urls,"
          + " classes, tools, sites or rules");
    }
    if (!format.equals("text") && !format.equals("csv")) {
      throw new UsageException("unknown format '" + format + "'; use text or csv");
    }
    EventFilter filter = selection.filter();
    List<CountRow> rows;
    try (EvidentStore db = EvidentStore.openReadOnly(store.path())) {
      rows = db.top(d, filter, Math.max(1, limit));
      selection.explainNothing(db, rows.size());
    }
    if (format.equals("csv")) {
      System.out.print("key,label,attacks,sources,share\r\n");
      for (CountRow r : rows) {
        System.out.print(CsvCell.of(r.key()) + "," + CsvCell.of(r.label()) + "," + r.attacks()
            + "," + r.sources() + "," + String.format(Locale.ROOT, "%.6f", r.share()) + "\r\n");
      }
      return 0;
    }
    if (rows.isEmpty()) {
      System.out.println("No attacks in that range.");
    }
    for (CountRow r : rows) {
      String label = r.label() == null || r.label().equals(r.key()) ? "" : "  " + r.label();
      System.out.printf("%10s  %6s  %s%s%n", Headline.number(r.attacks()),
          Headline.percent(r.share()), TerminalText.safe(r.key() == null ? "-" : r.key()),
          TerminalText.safe(label));
    }
    return 0;
  }
}
