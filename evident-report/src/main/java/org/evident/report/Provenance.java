package org.evident.report;

import java.io.IOException;
import org.evident.store.MonthReport;

/** The lines that say what produced the figures: rules, location data and its attribution. */
final class Provenance {
  private Provenance() {}

  static final String DBIP_ATTRIBUTION = "IP Geolocation by DB-IP (https://db-ip.com),"
      + " licensed under CC BY 4.0";

  static boolean usesDbIp(MonthReport r) {
    return r.locations().stream().anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT)
        .contains("db-ip") || l.toLowerCase(java.util.Locale.ROOT).contains("dbip"));
  }

  static void text(MonthReport r, Appendable out) throws IOException {
    for (String rs : r.rulesets()) {
      out.append("Rules: ").append(rs).append('\n');
    }
    for (String l : r.locations()) {
      out.append("Locations: ").append(l).append('\n');
    }
    if (usesDbIp(r)) {
      out.append(DBIP_ATTRIBUTION).append('\n');
    }
    if (!r.commitments().isEmpty()) {
      long lines = r.commitments().stream().mapToLong(h -> h.head().size()).sum();
      out.append("Commitments: ").append(Headline.number(r.commitments().size()))
          .append(" signed-chain segments (").append(Headline.number(lines))
          .append(" lines); check with 'evident report --sign' and 'evident verify'\n");
    }
  }
}
