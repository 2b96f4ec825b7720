package org.evident.report;

import java.io.IOException;
import java.util.Map;
import org.evident.store.CountRow;
import org.evident.store.DayRow;
import org.evident.store.MonthReport;
import org.evident.store.ReadError;

/** GitHub-flavoured Markdown; attacker text is escaped so it cannot add markup or break tables. */
final class MarkdownReport implements ReportFormat.Renderer {

  @Override
  public void render(MonthReport r, Appendable out) throws IOException {
    out.append("# Attack report: ").append(md(r.site() == null ? "all sites" : r.site()))
        .append(", ").append(Headline.monthName(r.month())).append("\n\n");
    out.append(md(Headline.of(r))).append("\n\n");
    if (!r.sites().isEmpty()) {
      out.append("## Sites\n\n| site | attacks | requests | attack rate |\n|---|---:|---:|---:|\n");
      for (CountRow s : SiteList.shown(r)) {
        out.append("| ").append(md(s.key())).append(" | ").append(Headline.number(s.attacks()))
            .append(" | ").append(Headline.number(s.sources())).append(" | ")
            .append(Headline.percent(s.share())).append(" |\n");
      }
      if (SiteList.rest(r) != null) {
        out.append('\n').append(SiteList.rest(r)).append('\n');
      }
      out.append('\n');
    }
    for (Sections s : Sections.of(r)) {
      out.append("## ").append(s.title()).append("\n\n");
      if (s.rows().isEmpty()) {
        out.append("None.\n\n");
        continue;
      }
      out.append("| ").append(s.keyColumn());
      if (s.labelColumn() != null) {
        out.append(" | ").append(s.labelColumn());
      }
      out.append(" | attacks | share |\n|---");
      if (s.labelColumn() != null) {
        out.append("|---");
      }
      out.append("|---:|---:|\n");
      for (CountRow c : s.rows()) {
        out.append("| ").append(c.key() == null ? "–" : md(c.key()));
        if (s.labelColumn() != null) {
          out.append(" | ").append(md(c.label()));
        }
        out.append(" | ").append(Headline.number(c.attacks())).append(" | ")
            .append(Headline.percent(c.share())).append(" |\n");
      }
      out.append('\n');
    }
    out.append("## Per day (UTC)\n\n| day | requests | attacks |\n|---|---:|---:|\n");
    for (DayRow d : r.byDay()) {
      out.append("| ").append(d.day()).append(" | ").append(Headline.number(d.requests()))
          .append(" | ").append(Headline.number(d.attacks())).append(" |\n");
    }
    out.append("\n## Provenance\n\n");
    StringBuilder p = new StringBuilder();
    Provenance.text(r, p);
    for (String line : p.toString().split("\n")) {
      if (!line.isEmpty()) {
        out.append("- ").append(md(line)).append('\n');
      }
    }
    if (!r.skipped().isEmpty()) {
      out.append("- Lines skipped while scanning:");
      for (Map.Entry<String, Long> e : r.skipped().entrySet()) {
        out.append(' ').append(md(e.getKey())).append('=').append(Headline.number(e.getValue()));
      }
      out.append('\n');
    }
    for (ReadError e : r.readErrors()) {
      out.append("- Broke off while read: ").append(md(e.source())).append(" after line ")
          .append(Headline.number(e.afterLine())).append(" (").append(md(e.reason()))
          .append("); the rest is not counted\n");
    }
  }

  /** Escapes Markdown and HTML metacharacters in running text. */
  static String md(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (char c : TerminalText.safe(s).toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '|', '\\', '`', '*', '_', '[', ']', '#', '!', '(', ')', '{', '}', '~' ->
            b.append('\\').append(c);
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
