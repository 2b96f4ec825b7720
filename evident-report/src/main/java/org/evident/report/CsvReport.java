package org.evident.report;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.evident.store.CountRow;
import org.evident.store.DayRow;
import org.evident.store.MonthReport;
import org.evident.store.ReadError;

/**
 * One CSV table holding every section: {@code section,key,label,attacks,sources,share,requests},
 * so a spreadsheet can pivot it. Cells go through {@link CsvCell}.
 */
final class CsvReport implements ReportFormat.Renderer {

  @Override
  public void render(MonthReport r, Appendable out) throws IOException {
    out.append("section,key,label,attacks,sources,share,requests\r\n");
    String site = r.site() == null ? "all sites" : r.site();
    line(out, "total", site, r.month(), r.attacks(), r.sources(),
        r.requests() == 0 ? 0 : (double) r.attacks() / r.requests(), r.requests());
    for (CountRow s : r.sites()) {
      line(out, "site", s.key(), s.label(), s.attacks(), -1, s.share(), s.sources());
    }
    for (Sections s : Sections.of(r)) {
      for (CountRow c : s.rows()) {
        line(out, s.id(), c.key(), c.label(), c.attacks(), c.sources(), c.share(), -1);
      }
    }
    for (DayRow d : r.byDay()) {
      line(out, "by_day", d.day(), null, d.attacks(), -1, -1, d.requests());
    }
    for (Map.Entry<String, Long> e : r.skipped().entrySet()) {
      line(out, "skipped_lines", e.getKey(), null, -1, -1, -1, e.getValue());
    }
    for (ReadError e : r.readErrors()) {
      line(out, "read_error", e.source(), "after line " + e.afterLine() + ": " + e.reason(), -1,
          -1, -1, -1);
    }
  }

  private static void line(Appendable out, String section, String key, String label,
      long attacks, long sources, double share, long requests) throws IOException {
    out.append(section).append(',').append(CsvCell.of(key)).append(',')
        .append(CsvCell.of(label)).append(',').append(attacks < 0 ? "" : Long.toString(attacks))
        .append(',').append(sources < 0 ? "" : Long.toString(sources)).append(',')
        .append(share < 0 ? "" : String.format(Locale.ROOT, "%.6f", share)).append(',')
        .append(requests < 0 ? "" : Long.toString(requests)).append("\r\n");
  }
}
