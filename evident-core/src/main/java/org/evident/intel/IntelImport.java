package org.evident.intel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.evident.net.Cidr;

/**
 * Reads threat intelligence into entries web logs can match: STIX 2.1 bundles (indicators and
 * whom they point to) and plain lists of addresses and CIDRs with an actor label. Problems are
 * collected, each naming its object or line, so a caller can refuse the whole import or keep the
 * good part.
 */
public final class IntelImport {
  /**
   * What an import found.
   *
   * @param entries matchable intelligence
   * @param errors malformed objects or lines, each naming itself
   * @param skipped valid intelligence no web log can match, counted by reason
   */
  public record Result(List<IntelEntry> entries, List<String> errors, Map<String, Long> skipped) {}

  private IntelImport() {}

  /** A plain list: one address or CIDR per line; blank lines and '#' comments ignored. */
  public static Result list(String text, String actor) {
    List<IntelEntry> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      int hash = l.indexOf('#');
      String v = (hash >= 0 ? l.substring(0, hash) : l).strip();
      if (v.isEmpty()) {
        continue;
      }
      try {
        out.add(new IntelEntry("network", network(v), actor, null));
      } catch (IllegalArgumentException e) {
        errors.add("line " + (i + 1) + ": '" + shorten(v) + "' is not an IP address or CIDR");
      }
    }
    return new Result(out, errors, Map.of());
  }

  /** A STIX 2.1 bundle (or a single object). */
  public static Result stix(JsonNode doc) {
    List<IntelEntry> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Map<String, Long> skipped = new TreeMap<>();
    List<JsonNode> objects = new ArrayList<>();
    if (doc.path("type").asText().equals("bundle")) {
      doc.path("objects").forEach(objects::add);
    } else if (doc.has("type")) {
      objects.add(doc);
    } else {
      errors.add("not a STIX bundle or object (no \"type\")");
      return new Result(out, errors, skipped);
    }
    Map<String, JsonNode> byId = new HashMap<>();
    Map<String, List<JsonNode>> from = new HashMap<>();
    Map<String, List<JsonNode>> to = new HashMap<>();
    List<String> sets = new ArrayList<>();
    for (JsonNode o : objects) {
      byId.put(o.path("id").asText(), o);
      if (o.path("type").asText().equals("relationship")) {
        from.computeIfAbsent(o.path("source_ref").asText(), k -> new ArrayList<>()).add(o);
        to.computeIfAbsent(o.path("target_ref").asText(), k -> new ArrayList<>()).add(o);
      }
      if (o.path("type").asText().equals("intrusion-set")) {
        sets.add(o.path("name").asText());
      }
    }
    String only = sets.size() == 1 ? sets.get(0) : null;
    for (JsonNode o : objects) {
      if (!o.path("type").asText().equals("indicator")) {
        continue;
      }
      String id = o.path("id").asText("(no id)");
      StixPattern.Parsed p;
      try {
        if (!o.path("pattern_type").asText("stix").equals("stix")) {
          skipped.merge("pattern type " + o.path("pattern_type").asText(), 1L, Long::sum);
          continue;
        }
        p = StixPattern.parse(o.path("pattern").asText(null));
      } catch (IllegalArgumentException e) {
        errors.add("indicator " + id + ": malformed pattern (" + e.getMessage() + ")");
        continue;
      }
      if (!p.matchable()) {
        skipped.merge("patterns on what web logs do not hold (" + p.comparisons().get(0).path()
            + " ...)", 1L, Long::sum);
        continue;
      }
      String actor = actor(o, byId, from, to, only);
      for (StixPattern.Comparison c : p.comparisons()) {
        try {
          switch (c.path()) {
            case "ipv4-addr:value", "ipv6-addr:value" ->
                out.add(new IntelEntry("network", network(c.value()), actor, id));
            case "domain-name:value" -> out.add(new IntelEntry("domain",
                c.value().toLowerCase(Locale.ROOT), actor, id));
            default -> out.add(new IntelEntry("url", c.value(), actor, id));
          }
        } catch (IllegalArgumentException e) {
          errors.add("indicator " + id + ": '" + shorten(c.value())
              + "' is not an IP address or CIDR");
        }
      }
    }
    return new Result(out, errors, skipped);
  }

  /**
   * Whom an indicator points to: an intrusion set, threat actor or campaign it indicates
   * (directly, or through the malware or tool it indicates and who uses that), else the only
   * intrusion set of the bundle, else the indicator's own name.
   */
  private static String actor(JsonNode ind, Map<String, JsonNode> byId,
      Map<String, List<JsonNode>> from, Map<String, List<JsonNode>> to, String only) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode r : from.getOrDefault(ind.path("id").asText(), List.of())) {
      if (!r.path("relationship_type").asText().equals("indicates")) {
        continue;
      }
      JsonNode t = byId.get(r.path("target_ref").asText());
      if (t == null) {
        continue;
      }
      if (isActor(t)) {
        names.add(t.path("name").asText());
      } else {
        for (JsonNode u : to.getOrDefault(t.path("id").asText(), List.of())) {
          JsonNode user = byId.get(u.path("source_ref").asText());
          if (u.path("relationship_type").asText().equals("uses") && user != null
              && isActor(user)) {
            names.add(user.path("name").asText());
          }
        }
      }
    }
    if (!names.isEmpty()) {
      return String.join(", ", names);
    }
    if (only != null) {
      return only;
    }
    return ind.path("name").asText(ind.path("id").asText());
  }

  private static boolean isActor(JsonNode o) {
    String t = o.path("type").asText();
    return t.equals("intrusion-set") || t.equals("threat-actor") || t.equals("campaign");
  }

  /** An address or CIDR in its normal form. */
  static String network(String v) {
    String s = v.strip();
    if (s.indexOf('/') < 0) {
      if (org.evident.net.IpAddress.parse(s) == null) {
        throw new IllegalArgumentException(s);
      }
      s = s + (s.indexOf(':') >= 0 ? "/128" : "/32");
    }
    return Cidr.parse(s).toString();
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
