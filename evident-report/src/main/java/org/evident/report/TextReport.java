package org.evident.report;

import java.io.IOException;
import java.util.Map;
import org.evident.store.CountRow;
import org.evident.store.DayRow;
import org.evident.store.MonthReport;
import org.evident.store.ReadError;

/** Plain text for a terminal; attacker text passes through {@link TerminalText}. */
final class TextReport implements ReportFormat.Renderer {

  @Override
  public void render(MonthReport r, Appendable out) throws IOException {
    out.append(TerminalText.safe(Headline.of(r))).append("\n\n");
    if (!r.sites().isEmpty()) {
      out.append("Sites\n");
      for (CountRow s : SiteList.shown(r)) {
        out.append(String.format("  %-40s %12s attacks of %12s requests (%s)%n",
            clip(TerminalText.safe(s.key()), 40), Headline.number(s.attacks()),
            Headline.number(s.sources()), Headline.percent(s.share())));
      }
      if (SiteList.rest(r) != null) {
        out.append("  ").append(SiteList.rest(r)).append('\n');
      }
      out.append('\n');
    }
    for (Sections s : Sections.of(r)) {
      out.append(s.title()).append('\n');
      if (s.rows().isEmpty()) {
        out.append("  (none)\n\n");
        continue;
      }
      for (CountRow c : s.rows()) {
        String key = c.key() == null ? "-" : c.key();
        String label = s.labelColumn() == null || c.label() == null || c.label().equals(c.key())
            ? "" : "  " + c.label();
        out.append(String.format("  %10s  %6s  %s%s%n", Headline.number(c.attacks()),
            Headline.percent(c.share()), clip(TerminalText.safe(key), 60),
            clip(TerminalText.safe(label), 60)));
      }
      out.append('\n');
    }
    // the heading's words over the numbers' right edges
    out.append(String.format("%-14s%12s  %10s%n", "Per day (UTC)", "requests", "attacks"));
    for (DayRow d : r.byDay()) {
      out.append(String.format("  %s  %12s  %10s%n", d.day(), Headline.number(d.requests()),
          Headline.number(d.attacks())));
    }
    out.append('\n');
    Provenance.text(r, out);
    if (!r.skipped().isEmpty()) {
      out.append("Lines skipped while scanning:");
      for (Map.Entry<String, Long> e : r.skipped().entrySet()) {
        out.append(' ').append(e.getKey()).append('=').append(Headline.number(e.getValue()));
      }
      out.append('\n');
    }
    for (ReadError e : r.readErrors()) {
      out.append("Broke off while read: ").append(TerminalText.safe(e.source()))
          .append(" after line ").append(Headline.number(e.afterLine())).append(" (")
          .append(TerminalText.safe(e.reason())).append("); the rest is not counted\n");
    }
  }

  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
