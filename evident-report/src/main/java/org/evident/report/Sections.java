package org.evident.report;

import java.util.List;
import org.evident.store.CountRow;
import org.evident.store.MonthReport;

/**
 * The ranked tables of a report, in the order every format shows them, with their titles and
 * column names, so the formats cannot drift apart.
 */
record Sections(String id, String title, String keyColumn, String labelColumn,
    List<CountRow> rows) {

  static List<Sections> of(MonthReport r) {
    return List.of(
        new Sections("by_country", "Attacks by country", "country", "name", r.byCountry()),
        new Sections("by_asn", "Attacks by network (AS)", "asn", "organisation", r.byAsn()),
        new Sections("by_class", "Attacks by class", "class", null, r.byClass()),
        new Sections("by_url", "Most attacked paths", "url", null, r.byUrl()),
        new Sections("by_tool", "Attack tools identified", "tool", null, r.byTool()),
        new Sections("top_sources", "Top source IPs", "ip", "where", r.topSources()),
        new Sections("by_actor", "Known threat actors (imported intelligence)", "actor", null,
            r.byActor()));
  }
}
