package org.evident.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.evident.detect.Rule;
import org.evident.detect.RuleSet;
import org.evident.evidence.EvidenceBundle;
import org.evident.evidence.InclusionProof;
import org.evident.evidence.SignedHead;
import org.evident.evidence.SiteKey;
import org.evident.json.JsonTrees;
import org.evident.store.AttackEvent;
import org.evident.store.CountRow;
import org.evident.store.EventFilter;
import org.evident.store.EvidentStore;
import org.evident.store.MonthReport;

/** Builds the evidence bundles of {@code report --sign} and {@code disclose} from the store. */
final class Evidence {
  private Evidence() {}

  static void writeReportBundle(EvidentStore db, MonthReport r, SiteKey key, Path file) {
    ObjectNode signed = header("report");
    EventFilter month = EventFilter.month(r.month(), r.site());
    List<EvidentStore.Ruleset> rulesets = db.rulesetsOf(month);
    ArrayNode rs = signed.putArray("rulesets");
    for (EvidentStore.Ruleset x : rulesets) {
      rs.add(ruleset(x));
    }
    ObjectNode c = signed.putObject("claims");
    c.put("site", r.site());
    c.put("month", r.month());
    c.put("requests", r.requests());
    c.put("attacks", r.attacks());
    c.put("sources", r.sources());
    // the full breakdowns, not the top rows of the printed tables
    rows(c.putArray("by_country"), "country", db.top(org.evident.store.Dimension.COUNTRIES,
        month, Integer.MAX_VALUE));
    rows(c.putArray("by_class"), "class", db.top(org.evident.store.Dimension.CLASSES, month,
        Integer.MAX_VALUE));
    ArrayNode on = signed.putArray("rests_on");
    r.commitments().forEach(h -> on.add(h.head().seq()));
    write(file, signed, key, SignedChain.of(db, key));
  }

  /**
   * Writes a disclosure in two passes over the selection: the first digests the line claims and
   * counts them (the signature needs both), the second streams the lines with their proofs, so
   * memory stays flat however many lines are disclosed.
   *
   * @return how many lines were selected and how many disclosed
   */
  static long[] writeDisclosure(EvidentStore db, EventFilter filter, int limit, SiteKey key,
      RuleSet localRules, OutputStream out) throws IOException {
    List<EvidentStore.Ruleset> rulesets = db.rulesetsOf(filter);
    if (rulesets.size() > 1) {
      throw new UserException("the selected lines were judged with " + rulesets.size()
          + " different rule sets; narrow the selection (--since/--until) to one scan's rules");
    }
    long selected = db.count(filter);
    ObjectNode signed = header("disclosure");
    if (!rulesets.isEmpty()) {
      signed.set("ruleset", ruleset(rulesets.get(0)));
    }
    ObjectNode f = signed.putObject("filter");
    f.put("since", filter.since() == null ? null : filter.since().toString());
    f.put("until", filter.until() == null ? null : filter.until().toString());
    f.put("site", filter.site());
    f.put("country", filter.country());
    f.put("class", filter.attackClass());
    f.put("limit", limit);
    EvidenceBundle.LinesDigest digest = new EvidenceBundle.LinesDigest();
    Map<String, Long> byCountry = new TreeMap<>();
    Map<String, Long> byClass = new TreeMap<>();
    TreeSet<Long> segments = new TreeSet<>();
    TreeSet<String> fired = new TreeSet<>();
    db.evidence(filter, limit, a -> {
      EvidenceBundle.Line l = line(a);
      digest.add(l);
      byCountry.merge(a.country() == null ? "-" : a.country(), 1L, Long::sum);
      byClass.merge(a.attackClass() == null ? "-" : a.attackClass(), 1L, Long::sum);
      segments.add(a.segment());
      fired.addAll(l.ruleIds());
    });
    long disclosed = digest.count();
    signed.put("lines_sha256", digest.hex());
    ObjectNode c = signed.putObject("claims");
    c.put("selected", selected);
    c.put("disclosed", disclosed);
    counts(c.putArray("disclosed_by_country"), "country", byCountry);
    counts(c.putArray("disclosed_by_class"), "class", byClass);
    ArrayNode on = signed.putArray("rests_on");
    segments.forEach(on::add);
    List<ObjectNode> rules = new ArrayList<>();
    boolean same = !rulesets.isEmpty() && rulesets.get(0).sha256().equals(localRules.sha256());
    for (String id : fired) {
      ObjectNode r = JsonTrees.object();
      r.put("id", id);
      Rule rule = same ? localRules.rules().stream().filter(x -> x.id().equals(id)).findFirst()
          .orElse(null) : null;
      if (rule != null) {
        r.put("class", rule.attackClass());
        r.put("severity", rule.severity() == null ? null : rule.severity().label());
        r.put("msg", rule.message());
        r.put("paranoia", rule.paranoia());
        ArrayNode tags = r.putArray("tags");
        rule.tags().forEach(tags::add);
      }
      rules.add(r);
    }
    EvidenceBundle.write(out, signed, key, SignedChain.of(db, key), rules, sink -> {
      Proofs proofs = new Proofs(db);
      try {
        db.evidence(filter, limit, a -> {
          EvidenceBundle.Line l = line(a);
          try {
            sink.accept(l, proofs.of(l));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } finally {
        proofs.close();
      }
    });
    return new long[] {selected, disclosed};
  }

  private static EvidenceBundle.Line line(AttackEvent a) {
    List<String> ids = a.ruleIds() == null || a.ruleIds().isEmpty() ? List.of()
        : Arrays.asList(a.ruleIds().split(","));
    return new EvidenceBundle.Line(a.segment(), a.leafIndex(),
        a.rawLine().getBytes(StandardCharsets.ISO_8859_1),
        Instant.ofEpochMilli(a.epochMillis()).toString(), a.site(), a.sourceIp(), a.country(),
        a.attackClass(), ids);
  }

  /** Proofs for lines in (segment, leaf) order, opening each segment's tree once. */
  private static final class Proofs {
    private final EvidentStore db;
    private long openSeq = -1;
    private EvidentStore.SegmentTree open;

    Proofs(EvidentStore db) {
      this.db = db;
    }

    InclusionProof of(EvidenceBundle.Line l) {
      if (l.segment() != openSeq) {
        close();
        open = db.openTree(l.segment());
        openSeq = l.segment();
      }
      return open.tree().proof(l.leafIndex());
    }

    void close() {
      if (open != null) {
        open.close();
        open = null;
      }
    }
  }

  private static ObjectNode header(String kind) {
    ObjectNode signed = JsonTrees.object();
    signed.put("kind", kind);
    signed.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)
        .toInstant().toString());
    signed.put("generator", "evident 0.1.0");
    return signed;
  }

  private static ObjectNode ruleset(EvidentStore.Ruleset x) {
    ObjectNode o = JsonTrees.object();
    o.put("version", x.version());
    o.put("sha256", x.sha256());
    o.put("paranoia", x.paranoia());
    o.put("threshold", x.threshold());
    return o;
  }

  private static void rows(ArrayNode a, String field, List<CountRow> rows) {
    for (CountRow c : rows) {
      ObjectNode o = a.addObject();
      o.put(field, c.key());
      o.put("attacks", c.attacks());
    }
  }

  private static void counts(ArrayNode a, String field, Map<String, Long> m) {
    m.forEach((k, v) -> {
      ObjectNode o = a.addObject();
      o.put(field, k);
      o.put("attacks", v);
    });
  }

  private static void write(Path file, ObjectNode signed, SiteKey key, List<SignedHead> heads) {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      EvidenceBundle.write(out, signed, key, heads, List.of(), null);
    } catch (IOException e) {
      throw new UserException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
