package org.evident.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;
import org.evident.store.CountRow;
import org.evident.store.DayRow;
import org.evident.store.MonthReport;
import org.evident.store.ReadError;

/** The stable JSON report documented in docs/report-json.md (schema {@code evident.report/1}). */
final class JsonReport implements ReportFormat.Renderer {
  static final String SCHEMA = "evident.report/1";

  @Override
  public void render(MonthReport r, Appendable out) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      g.writeStringField("schema", SCHEMA);
      g.writeStringField("site", r.site());
      g.writeStringField("month", r.month());
      g.writeStringField("headline", Headline.of(r));
      g.writeNumberField("requests", r.requests());
      g.writeNumberField("attacks", r.attacks());
      g.writeNumberField("attack_rate", r.requests() == 0 ? 0.0
          : round((double) r.attacks() / r.requests()));
      g.writeNumberField("sources", r.sources());
      rows(g, "by_country", "country", "name", r.byCountry());
      g.writeArrayFieldStart("by_asn");
      for (CountRow c : r.byAsn()) {
        g.writeStartObject();
        g.writeNumberField("asn", Long.parseLong(c.key()));
        g.writeStringField("organisation", c.label());
        counts(g, c);
        g.writeEndObject();
      }
      g.writeEndArray();
      rows(g, "by_class", "class", null, r.byClass());
      rows(g, "by_url", "url", null, r.byUrl());
      rows(g, "by_tool", "tool", null, r.byTool());
      rows(g, "top_sources", "ip", "where", r.topSources());
      rows(g, "by_actor", "actor", null, r.byActor());
      g.writeArrayFieldStart("by_day");
      for (DayRow d : r.byDay()) {
        g.writeStartObject();
        g.writeStringField("day", d.day());
        g.writeNumberField("requests", d.requests());
        g.writeNumberField("attacks", d.attacks());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("sites");
      for (CountRow s : r.sites()) {
        g.writeStartObject();
        g.writeStringField("site", s.key());
        g.writeNumberField("requests", s.sources());
        g.writeNumberField("attacks", s.attacks());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("skipped_lines");
      for (Map.Entry<String, Long> e : r.skipped().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("read_errors");
      for (ReadError e : r.readErrors()) {
        g.writeStartObject();
        g.writeStringField("source", e.source());
        g.writeNumberField("after_line", e.afterLine());
        g.writeStringField("reason", e.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("rulesets");
      for (String s : r.rulesets()) {
        g.writeString(s);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("locations");
      for (String s : r.locations()) {
        g.writeString(s);
      }
      g.writeEndArray();
      g.writeStringField("attribution", Provenance.usesDbIp(r) ? Provenance.DBIP_ATTRIBUTION
          : null);
      g.writeArrayFieldStart("commitments");
      for (org.evident.evidence.SignedHead h : r.commitments()) {
        g.writeStartObject();
        g.writeNumberField("segment", h.head().seq());
        g.writeStringField("source", h.head().source());
        g.writeNumberField("first_line", h.head().firstLine());
        g.writeNumberField("lines", h.head().size());
        g.writeStringField("root", h.head().root());
        g.writeStringField("head_hash", h.head().hash());
        g.writeStringField("key_id", h.keyId());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.append(w.toString()).append('\n');
  }

  private static void rows(JsonGenerator g, String field, String key, String label,
      Iterable<CountRow> rows) throws IOException {
    g.writeArrayFieldStart(field);
    for (CountRow c : rows) {
      g.writeStartObject();
      g.writeStringField(key, c.key());
      if (label != null) {
        g.writeStringField(label, c.label());
      }
      counts(g, c);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void counts(JsonGenerator g, CountRow c) throws IOException {
    g.writeNumberField("attacks", c.attacks());
    g.writeNumberField("sources", c.sources());
    g.writeNumberField("share", round(c.share()));
  }

  private static double round(double v) {
    return Math.round(v * 1_000_000d) / 1_000_000d;
  }
}
