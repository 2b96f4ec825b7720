package org.evident.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.evident.stix.AttackClasses;
import org.evident.stix.StixExport;
import org.evident.store.EventFilter;
import org.evident.store.EvidentStore;
import org.evident.store.TaxiiStore;

/**
 * Fills collections that have a {@code publish} selection with the STIX export of that
 * selection. Ids and versions are deterministic, so publishing again adds only what changed.
 */
public final class Publisher {
  private final String identity;

  /** What {@link #publish} gives a collection whose selection matches no stored attack. */
  public static final int NOTHING_SELECTED = -1;

  public Publisher(String identity) {
    this.identity = identity;
  }

  /**
   * @return objects added per collection alias; -1 for a collection whose selection matches no
   *     stored attack, to which nothing is published (a report of nothing, shared, would read
   *     as if it said something)
   */
  public Map<String, Integer> publish(TaxiiConfig config, EvidentStore db, TaxiiStore taxii) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (TaxiiConfig.Collection c : config.collections()) {
      if (c.publish() == null) {
        continue;
      }
      EventFilter f = filter(c.publish());
      var sources = db.sources(f, 10_000);
      if (sources.isEmpty()) {
        out.put(c.alias(), NOTHING_SELECTED);
        continue;
      }
      ObjectNode bundle = new StixExport(AttackClasses.builtIn(),
          new StixExport.Options(identity, 3)).bundle(f, sources);
      List<TaxiiStore.Entry> entries = new ArrayList<>();
      for (JsonNode o : bundle.get("objects")) {
        String version = o.hasNonNull("modified") ? o.get("modified").asText() : null;
        entries.add(new TaxiiStore.Entry(o.get("id").asText(), version, null, o.toString()));
      }
      out.put(c.alias(), taxii.add(c.id(), entries));
    }
    return out;
  }

  static EventFilter filter(Map<String, String> p) {
    return new EventFilter(time(p.get("since")), time(p.get("until")), p.get("site"),
        p.get("country"), p.get("class"));
  }

  private static Instant time(String s) {
    try {
      return EventFilter.time(s);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("publish: '" + s + "' is not a month, date or time");
    }
  }
}
