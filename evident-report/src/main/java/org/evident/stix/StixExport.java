package org.evident.stix;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.evident.json.JsonTrees;
import org.evident.store.EventFilter;
import org.evident.store.SourceSummary;

/**
 * Turns the attacking sources of a selection into a STIX 2.1 bundle: the reporting identity;
 * per source its address and autonomous system (observables), an observed-data and a sighting;
 * an indicator for each source confirmed by enough attacks; attack patterns with CAPEC and
 * ATT&amp;CK references; tools; countries; campaigns from imported intelligence; and a report
 * tying them together. Ids are deterministic and timestamps come from the data, so exporting the
 * same data twice gives the same bundle and newer data updates objects rather than adding copies.
 */
public final class StixExport {
  /** Fixed creation time of objects that describe no observation (classes, tools). */
  static final String DEFINED = "2024-01-01T00:00:00.000Z";
  private static final DateTimeFormatter TS = DateTimeFormatter
      .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * @param identity the reporting organisation or site, as it names itself
   * @param indicatorMin attacks a source needs before it becomes an indicator
   */
  public record Options(String identity, int indicatorMin) {}

  private final AttackClasses classes;
  private final Options options;

  public StixExport(AttackClasses classes, Options options) {
    this.classes = classes;
    this.options = options;
  }

  public ObjectNode bundle(EventFilter filter, List<SourceSummary> sources) {
    Map<String, ObjectNode> objects = new LinkedHashMap<>();
    String identityId = StixIds.of("identity", options.identity());
    ObjectNode identity = sdo("identity", identityId, DEFINED, DEFINED);
    identity.remove("created_by_ref");
    identity.put("name", options.identity());
    identity.put("identity_class", "organization");
    identity.put("description", "The site or organisation whose web server logs these"
        + " observations come from; reported by Evident.");
    objects.put(identityId, identity);

    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (SourceSummary s : sources) {
      first = Math.min(first, s.firstSeen());
      last = Math.max(last, s.lastSeen());
    }
    String period = (filter.since() == null ? "" : filter.since().toString()) + "/"
        + (filter.until() == null ? "" : filter.until().toString());
    for (SourceSummary s : sources) {
      if (org.evident.net.IpAddress.parse(s.ip()) == null) {
        continue; // a client field that is no address (a host name): nothing to share about it
      }
      source(s, identityId, period, objects);
    }
    String lastTs = sources.isEmpty() ? DEFINED : ts(last);
    String firstTs = sources.isEmpty() ? DEFINED : ts(first);
    String scope = (filter.site() == null ? "all sites" : filter.site())
        + (filter.country() == null ? "" : ", sources in " + filter.country())
        + (filter.attackClass() == null ? "" : ", class " + filter.attackClass());
    String reportId = StixIds.of("report", options.identity(), period, scope);
    ObjectNode report = sdo("report", reportId, firstTs, lastTs);
    report.put("created_by_ref", identityId);
    report.put("name", "Web attacks seen by " + options.identity() + " (" + scope + ")");
    report.put("description", sources.size() + " attacking sources observed between " + firstTs
        + " and " + lastTs + " in web server logs, judged by Evident's rules; every count"
        + " rests on signed log commitments that can be disclosed with proofs.");
    report.put("published", lastTs);
    report.putArray("report_types").add("threat-report").add("attack-pattern")
        .add("indicator").add("observed-data");
    ArrayNode refs = report.putArray("object_refs");
    objects.keySet().forEach(refs::add);
    objects.put(reportId, report);

    ObjectNode bundle = JsonTrees.object();
    bundle.put("type", "bundle");
    bundle.put("id", StixIds.of("bundle", options.identity(), period, scope));
    ArrayNode all = bundle.putArray("objects");
    objects.values().forEach(all::add);
    return bundle;
  }

  private void source(SourceSummary s, String identityId, String period,
      Map<String, ObjectNode> objects) {
    boolean v6 = s.ip().indexOf(':') >= 0;
    String ipType = v6 ? "ipv6-addr" : "ipv4-addr";
    String ipId = StixIds.observable(ipType, "{\"value\":" + quote(s.ip()) + "}");
    ObjectNode ip = JsonTrees.object();
    ip.put("type", ipType);
    ip.put("spec_version", "2.1");
    ip.put("id", ipId);
    ip.put("value", s.ip());
    objects.put(ipId, ip);
    List<String> observed = new ArrayList<>(List.of(ipId));
    if (s.asn() > 0) {
      String asId = StixIds.observable("autonomous-system", "{\"number\":" + s.asn() + "}");
      ObjectNode as = objects.get(asId);
      if (as == null) {
        as = JsonTrees.object();
        as.put("type", "autonomous-system");
        as.put("spec_version", "2.1");
        as.put("id", asId);
        as.put("number", s.asn());
        if (s.asOrganisation() != null) {
          as.put("name", s.asOrganisation());
        }
        objects.put(asId, as);
      }
      observed.add(asId);
    }
    String firstTs = ts(s.firstSeen());
    String lastTs = ts(s.lastSeen());
    if (s.country() != null) {
      String locId = StixIds.of("location", "country", s.country());
      if (!objects.containsKey(locId)) {
        ObjectNode loc = sdo("location", locId, DEFINED, DEFINED);
        loc.put("created_by_ref", identityId);
        loc.put("name", s.country());
        loc.put("country", s.country());
        objects.put(locId, loc);
      }
      relationship("located-at", ipId, locId, identityId, firstTs, lastTs, objects);
    }
    String odId = StixIds.of("observed-data", options.identity(), s.ip(), period);
    ObjectNode od = sdo("observed-data", odId, firstTs, lastTs);
    od.put("created_by_ref", identityId);
    od.put("first_observed", firstTs);
    od.put("last_observed", lastTs);
    od.put("number_observed", Math.max(1, Math.min(999_999_999L, s.attacks())));
    ArrayNode refs = od.putArray("object_refs");
    observed.forEach(refs::add);
    objects.put(odId, od);

    List<String> patternIds = new ArrayList<>();
    for (String c : s.classes()) {
      patternIds.add(attackPattern(c, identityId, objects));
    }
    List<String> toolIds = new ArrayList<>();
    for (String t : s.tools()) {
      toolIds.add(tool(t, identityId, objects));
    }
    List<String> campaignIds = new ArrayList<>();
    for (String a : s.actors()) {
      String cid = StixIds.of("campaign", a);
      if (!objects.containsKey(cid)) {
        ObjectNode camp = sdo("campaign", cid, DEFINED, DEFINED);
        camp.put("created_by_ref", identityId);
        camp.put("name", a);
        camp.put("description", "Named by imported threat intelligence.");
        objects.put(cid, camp);
      }
      campaignIds.add(cid);
    }

    String sightingOf;
    if (s.attacks() >= options.indicatorMin()) {
      String indId = StixIds.of("indicator", options.identity(), s.ip());
      ObjectNode ind = sdo("indicator", indId, firstTs, lastTs);
      ind.put("created_by_ref", identityId);
      ind.put("name", "Web attack source " + s.ip());
      ind.put("description", s.attacks() + " attack requests (" + String.join(", ", s.classes())
          + ") from " + s.ip() + " between " + firstTs + " and " + lastTs + ".");
      ind.putArray("indicator_types").add("malicious-activity");
      ind.put("pattern", "[" + ipType + ":value = '" + s.ip().replace("\\", "\\\\")
          .replace("'", "\\'") + "']");
      ind.put("pattern_type", "stix");
      ind.put("valid_from", firstTs);
      objects.put(indId, ind);
      for (String target : concat(patternIds, toolIds, campaignIds)) {
        relationship("indicates", indId, target, identityId, firstTs, lastTs, objects);
      }
      sightingOf = indId;
    } else {
      sightingOf = patternIds.isEmpty() ? null : patternIds.get(0);
    }
    if (sightingOf != null) {
      String sid = StixIds.of("sighting", options.identity(), s.ip(), period);
      ObjectNode si = sdo("sighting", sid, firstTs, lastTs);
      si.put("created_by_ref", identityId);
      si.put("first_seen", firstTs);
      si.put("last_seen", lastTs);
      si.put("count", Math.min(999_999_999L, s.attacks()));
      si.put("sighting_of_ref", sightingOf);
      si.putArray("observed_data_refs").add(odId);
      si.putArray("where_sighted_refs").add(identityId);
      objects.put(sid, si);
    }
  }

  private String attackPattern(String key, String identityId, Map<String, ObjectNode> objects) {
    String id = StixIds.of("attack-pattern", key);
    if (objects.containsKey(id)) {
      return id;
    }
    AttackClasses.AttackClass c = classes.get(key);
    ObjectNode ap = sdo("attack-pattern", id, DEFINED, DEFINED);
    ap.put("created_by_ref", identityId);
    ap.put("name", c.name());
    if (c.description() != null) {
      ap.put("description", c.description());
    }
    ArrayNode ext = ap.putArray("external_references");
    if (c.capec() != null) {
      ObjectNode r = ext.addObject();
      r.put("source_name", "capec");
      r.put("external_id", c.capec()[0]);
      r.put("description", c.capec()[1]);
      r.put("url", "https://capec.mitre.org/data/definitions/"
          + c.capec()[0].substring("CAPEC-".length()) + ".html");
    }
    if (c.attack() != null) {
      ObjectNode r = ext.addObject();
      r.put("source_name", "mitre-attack");
      r.put("external_id", c.attack()[0]);
      r.put("description", c.attack()[1]);
      r.put("url", "https://attack.mitre.org/techniques/" + c.attack()[0].replace('.', '/') + "/");
    }
    ObjectNode r = ext.addObject();
    r.put("source_name", "evident");
    r.put("external_id", key);
    objects.put(id, ap);
    return id;
  }

  private String tool(String name, String identityId, Map<String, ObjectNode> objects) {
    String id = StixIds.of("tool", name.toLowerCase(Locale.ROOT));
    if (!objects.containsKey(id)) {
      ObjectNode t = sdo("tool", id, DEFINED, DEFINED);
      t.put("created_by_ref", identityId);
      t.put("name", name);
      t.putArray("tool_types").add("vulnerability-scanning");
      objects.put(id, t);
    }
    return id;
  }

  private void relationship(String type, String from, String to, String identityId,
      String created, String modified, Map<String, ObjectNode> objects) {
    String id = StixIds.of("relationship", type, from, to);
    ObjectNode r = sdo("relationship", id, created, modified);
    r.put("created_by_ref", identityId);
    r.put("relationship_type", type);
    r.put("source_ref", from);
    r.put("target_ref", to);
    objects.put(id, r);
  }

  private ObjectNode sdo(String type, String id, String created, String modified) {
    ObjectNode o = JsonTrees.object();
    o.put("type", type);
    o.put("spec_version", "2.1");
    o.put("id", id);
    o.put("created", created);
    o.put("modified", modified.compareTo(created) < 0 ? created : modified);
    return o;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> l : lists) {
      out.addAll(l);
    }
    return out;
  }

  private static String quote(String s) {
    return JsonTrees.write(TextNode.valueOf(s));
  }

  static String ts(long epochMillis) {
    return TS.format(Instant.ofEpochMilli(epochMillis));
  }
}
