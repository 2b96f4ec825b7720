package org.evident.report;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.evident.store.CountRow;
import org.evident.store.DayRow;
import org.evident.evidence.SignedHead;
import org.evident.store.MonthReport;
import org.evident.store.ReadError;

/**
 * A self-contained HTML page (inline CSS and SVG, no scripts, no network) that opens offline.
 * Every piece of text from the store goes through {@link HtmlText#escape}.
 */
final class HtmlReport implements ReportFormat.Renderer {

  @Override
  public void render(MonthReport r, Appendable out) throws IOException {
    String title = "Attack report: " + (r.site() == null ? "all sites" : r.site()) + ", "
        + Headline.monthName(r.month());
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
        .append(" style-src 'unsafe-inline'; img-src data:\">")
        .append("<title>").append(e(title)).append("</title><style>")
        .append("body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;")
        .append("color:#1d232a;padding:0 1em}h1{font-size:1.5em}h2{font-size:1.15em;")
        .append("margin-top:2em;border-bottom:1px solid #ddd}.headline{font-size:1.2em;")
        .append("background:#f3f6f9;padding:.8em 1em;border-left:4px solid #c0392b}")
        .append("table{border-collapse:collapse;width:100%}td,th{padding:.25em .5em;")
        .append("border-bottom:1px solid #eee;text-align:left;vertical-align:top}")
        .append("td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}")
        .append("code{word-break:break-all;font-size:.9em}.grid{display:grid;")
        .append("grid-template-columns:1fr 1fr;gap:2em}.kpi{display:flex;gap:2em;margin:1em 0}")
        .append(".kpi div{flex:1;background:#fafafa;padding:.6em;border:1px solid #eee}")
        .append(".kpi b{display:block;font-size:1.6em}small,.muted{color:#667}")
        .append("</style></head><body>\n");
    out.append("<h1>").append(e(title)).append("</h1>\n");
    out.append("<p class=\"headline\">").append(e(Headline.of(r))).append("</p>\n");
    out.append("<div class=\"kpi\">");
    kpi(out, "requests (all traffic)", Headline.number(r.requests()));
    kpi(out, "attack requests", Headline.number(r.attacks()));
    kpi(out, "attack rate", r.requests() == 0 ? "–"
        : Headline.percent((double) r.attacks() / r.requests()));
    kpi(out, "source IPs", Headline.number(r.sources()));
    out.append("</div>\n");

    out.append("<h2>Attacks per day (UTC)</h2>\n");
    dayChart(r.byDay(), out);
    out.append("<div class=\"grid\"><div><h2>Countries</h2>\n");
    barChart(r.byCountry(), true, out);
    out.append("</div><div><h2>Attack classes</h2>\n");
    barChart(r.byClass(), false, out);
    out.append("</div></div>\n");

    if (!r.sites().isEmpty()) {
      out.append("<h2>Sites</h2><table><tr><th>site</th><th class=\"n\">attacks</th>")
          .append("<th class=\"n\">requests</th><th class=\"n\">attack rate</th></tr>\n");
      for (CountRow s : SiteList.shown(r)) {
        out.append("<tr><td>").append(e(s.key())).append("</td><td class=\"n\">")
            .append(Headline.number(s.attacks())).append("</td><td class=\"n\">")
            .append(Headline.number(s.sources())).append("</td><td class=\"n\">")
            .append(Headline.percent(s.share())).append("</td></tr>\n");
      }
      out.append("</table>\n");
      if (SiteList.rest(r) != null) {
        out.append("<p class=\"muted\">").append(e(SiteList.rest(r))).append("</p>\n");
      }
    }
    for (Sections s : Sections.of(r)) {
      out.append("<h2>").append(e(s.title())).append("</h2>\n");
      if (s.rows().isEmpty()) {
        out.append("<p class=\"muted\">None.</p>\n");
        continue;
      }
      out.append("<table><tr><th>").append(e(s.keyColumn())).append("</th>");
      if (s.labelColumn() != null) {
        out.append("<th>").append(e(s.labelColumn())).append("</th>");
      }
      out.append("<th class=\"n\">attacks</th><th class=\"n\">share</th>")
          .append("<th class=\"n\">source IPs</th></tr>\n");
      for (CountRow c : s.rows()) {
        out.append("<tr><td><code>").append(e(c.key() == null ? "–" : c.key()))
            .append("</code></td>");
        if (s.labelColumn() != null) {
          out.append("<td>").append(e(c.label())).append("</td>");
        }
        out.append("<td class=\"n\">").append(Headline.number(c.attacks()))
            .append("</td><td class=\"n\">").append(Headline.percent(c.share()))
            .append("</td><td class=\"n\">").append(Headline.number(c.sources()))
            .append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    out.append("<h2>How these figures were made</h2>\n<ul>\n");
    out.append("<li>Attack requests are log lines whose request matched the rules below with an")
        .append(" anomaly score of at least 5; requests count every parsed line, benign")
        .append(" included. Times are UTC.</li>\n");
    for (String rs : r.rulesets()) {
      out.append("<li>Rules: <code>").append(e(rs)).append("</code></li>\n");
    }
    for (String l : r.locations()) {
      out.append("<li>Locations: ").append(e(l)).append("</li>\n");
    }
    if (Provenance.usesDbIp(r)) {
      out.append("<li><a href=\"https://db-ip.com\">IP Geolocation by DB-IP</a>, licensed")
          .append(" under <a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY")
          .append(" 4.0</a>.</li>\n");
    }
    if (!r.skipped().isEmpty()) {
      out.append("<li>Lines skipped while scanning:");
      for (Map.Entry<String, Long> en : r.skipped().entrySet()) {
        out.append(' ').append(e(en.getKey())).append('=')
            .append(Headline.number(en.getValue()));
      }
      out.append("</li>\n");
    }
    for (ReadError en : r.readErrors()) {
      out.append("<li>Broke off while read: ").append(e(en.source())).append(" after line ")
          .append(Headline.number(en.afterLine())).append(" (").append(e(en.reason()))
          .append("); the rest is not counted</li>\n");
    }
    out.append("</ul>\n");
    evidence(r, out);
    out.append("<p><small>Made by Evident.</small></p>\n</body></html>\n");
  }

  /** The commitments behind the figures, and how anyone can check them. */
  private static void evidence(MonthReport r, Appendable out) throws IOException {
    out.append("<h2>Evidence behind these figures</h2>\n");
    if (r.commitments().isEmpty()) {
      out.append("<p class=\"muted\">No commitments: these attacks were stored before Evident")
          .append(" committed to log lines.</p>\n");
      return;
    }
    out.append("<p>Every log line scanned, benign ones too, is a leaf of a Merkle tree (RFC")
        .append(" 9162) per segment; the segments' tree heads are chained, each naming the")
        .append(" hash of the one before, and signed with the site's Ed25519 key. The ")
        .append(Headline.number(r.attacks())).append(" attack requests above are lines of these ")
        .append(Headline.number(r.commitments().size())).append(" segments:</p>\n")
        .append("<table><tr><th class=\"n\">segment</th><th>log</th><th class=\"n\">lines</th>")
        .append("<th>tree root (SHA-256)</th><th>signed by key</th></tr>\n");
    int shown = 0;
    for (SignedHead h : r.commitments()) {
      if (shown++ == 50) {
        out.append("<tr><td colspan=\"5\" class=\"muted\">… and ")
            .append(Headline.number(r.commitments().size() - 50L))
            .append(" more segments (all are in the signed bundle)</td></tr>\n");
        break;
      }
      out.append("<tr><td class=\"n\">").append(Long.toString(h.head().seq()))
          .append("</td><td><code>").append(e(h.head().source())).append("</code> from line ")
          .append(Headline.number(h.head().firstLine())).append("</td><td class=\"n\">")
          .append(Headline.number(h.head().size())).append("</td><td><code>")
          .append(e(h.head().root())).append("</code></td><td><code>")
          .append(e(h.signed() ? h.keyId() : "not yet signed")).append("</code></td></tr>\n");
    }
    String m = e(r.month());
    String site = r.site() == null ? "" : " --site " + e(r.site());
    out.append("</table>\n<p>How to verify:</p>\n<ol>\n")
        .append("<li>The reporting site runs <code>evident report --month ").append(m)
        .append(site).append(" --sign -o report.html</code>, which writes")
        .append(" <code>report.html.evidence.json</code>: these counts, signed, with the tree")
        .append(" heads and the rule set they rest on.</li>\n")
        .append("<li>For any figure, it runs <code>evident disclose --month ").append(m)
        .append(site).append(" --country CC -o lines.json</code>: the attack lines behind it,")
        .append(" each with its inclusion proof, and nothing of the benign traffic.</li>\n")
        .append("<li>Anyone holding the site's public key runs <code>evident verify")
        .append(" lines.json --pubkey site.pub</code>: it checks every signature, proof and")
        .append(" chain link and judges the lines again with the same rules.</li>\n</ol>\n");
  }

  private static void kpi(Appendable out, String label, String value) throws IOException {
    out.append("<div><b>").append(e(value)).append("</b>").append(e(label)).append("</div>");
  }

  private static void dayChart(List<DayRow> days, Appendable out) throws IOException {
    long max = 1;
    for (DayRow d : days) {
      max = Math.max(max, d.attacks());
    }
    int w = 960;
    int h = 180;
    double bw = (double) w / Math.max(1, days.size());
    out.append("<svg role=\"img\" aria-label=\"attacks per day\" viewBox=\"0 0 ")
        .append(Integer.toString(w)).append(' ').append(Integer.toString(h + 20))
        .append("\" width=\"100%\">");
    for (int i = 0; i < days.size(); i++) {
      DayRow d = days.get(i);
      double bh = (double) d.attacks() / max * h;
      out.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c0392b\">"
              + "<title>%s: %s attacks of %s requests</title></rect>",
          i * bw + 1, h - bh, Math.max(1, bw - 2), bh, d.day(), Headline.number(d.attacks()),
          Headline.number(d.requests())));
      if (i % 5 == 0) {
        out.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#667\">%s</text>", i * bw + 1,
            h + 15, d.day().substring(8)));
      }
    }
    out.append("</svg>\n");
  }

  private static void barChart(List<CountRow> rows, boolean countries, Appendable out)
      throws IOException {
    if (rows.isEmpty()) {
      out.append("<p class=\"muted\">None.</p>\n");
      return;
    }
    List<CountRow> shown = rows.subList(0, Math.min(12, rows.size()));
    long max = Math.max(1, shown.get(0).attacks());
    int rowH = 22;
    out.append("<svg role=\"img\" viewBox=\"0 0 460 ").append(Integer.toString(shown.size() * rowH))
        .append("\" width=\"100%\">");
    for (int i = 0; i < shown.size(); i++) {
      CountRow c = shown.get(i);
      String name = countries ? (c.key() == null ? c.label() : c.label() + " (" + c.key() + ")")
          : c.key();
      double bw = (double) c.attacks() / max * 220;
      out.append(String.format(Locale.ROOT,
          "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>"
              + "<rect x=\"180\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"#2c6fbb\"/>"
              + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"#333\">%s</text>",
          i * rowH + 15, e(TextReport.clip(name == null ? "–" : name, 26)), i * rowH + 4,
          Math.max(1, bw), 184 + bw, i * rowH + 15, Headline.percent(c.share())));
    }
    out.append("</svg>\n");
  }

  private static String e(String s) {
    return HtmlText.escape(s);
  }
}
