package org.evident.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.evident.report.CsvCell;
import org.evident.report.TerminalText;
import org.evident.store.EvidentStore;
import org.evident.store.QueryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evident sql}: ad-hoc read-only questions. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Runs one SQL query (DuckDB dialect) on the database, opened read-only so"
        + " nothing can be changed; it reads and writes no other file either (no COPY TO,"
        + " read_csv, ATTACH or extensions). Tables: attacks, traffic (requests per site and hour),"
        + " sources, scans, skipped, read_errors, segments (tree heads), intel (imported"
        + " intelligence);"
        + " see docs/schema.md.",
        "Example: evident sql \"SELECT country, count(*) FROM attacks GROUP BY 1 ORDER BY 2"
            + " DESC\""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the query ran",
        "1:no database, or the query failed (an SQL error, a statement that would write, a"
            + " file it would read or write)",
        "2:bad usage"})
final class SqlCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "QUERY", description = "The query.")
  String query;

  @Mixin
  StoreOption store;

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or csv.")
  String format = "text";

  @Option(names = "--max-rows", paramLabel = "N",
      description = "Stop after N rows (default: ${DEFAULT-VALUE}).")
  int maxRows = 10_000;

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("csv")) {
      throw new UsageException("unknown format '" + format + "'; use text or csv");
    }
    QueryResult r;
    try (EvidentStore db = EvidentStore.openReadOnly(store.path())) {
      r = db.query(query, Math.max(1, maxRows));
    }
    if (format.equals("csv")) {
      System.out.print(String.join(",", r.columns().stream().map(CsvCell::of).toList()) + "\r\n");
      for (List<String> row : r.rows()) {
        System.out.print(String.join(",", row.stream().map(CsvCell::of).toList()) + "\r\n");
      }
    } else {
      printTable(r);
    }
    if (r.truncated()) {
      System.err.println("evident: stopped after " + maxRows + " rows (see --max-rows)");
    }
    return 0;
  }

  private static void printTable(QueryResult r) {
    int n = r.columns().size();
    int[] width = new int[n];
    List<List<String>> cells = new ArrayList<>();
    cells.add(r.columns());
    for (List<String> row : r.rows()) {
      List<String> safe = new ArrayList<>();
      for (String v : row) {
        String s = v == null ? "NULL" : TerminalText.safe(v);
        safe.add(s.length() > 80 ? s.substring(0, 79) + "…" : s);
      }
      cells.add(safe);
    }
    for (List<String> row : cells) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (int k = 0; k < cells.size(); k++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        b.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s",
            cells.get(k).get(i)));
      }
      System.out.println(b.toString().stripTrailing());
      if (k == 0) {
        StringBuilder u = new StringBuilder();
        for (int i = 0; i < n; i++) {
          u.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        System.out.println(u);
      }
    }
    System.out.println("(" + r.rows().size() + " row" + (r.rows().size() == 1 ? "" : "s") + ")");
  }
}
