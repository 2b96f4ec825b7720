package org.evident.detect;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.evident.log.Request;
import org.evident.net.IpAddress;

/**
 * Judges requests against a {@link RuleSet}. Immutable and thread-safe; holds no per-source state.
 *
 * <p>Rules that share a transformation chain share one normalised copy of each target and one
 * Aho-Corasick pass over their prefilter literals; only rules whose literal occurs run their
 * operator. The benign majority of requests therefore never reaches a regular expression.
 */
public final class Detector {
  /** The CRS default inbound anomaly threshold: one critical match makes an attack. */
  public static final int DEFAULT_THRESHOLD = 5;
  private static final String SCANNER = "scanner";

  private final RuleSet ruleSet;
  private final int threshold;
  private final Rule[] rules;
  private final Group[] groups;

  private static final class Group {
    final List<Transformation> chain;
    /** The chain without a final lowercase: the automaton ignores ASCII case itself. */
    final List<Transformation> caseless;
    final boolean lowercase;
    final Set<Target> targets = EnumSet.noneOf(Target.class);
    final List<String> literals = new ArrayList<>();
    final List<int[]> literalRules = new ArrayList<>();
    final List<Integer> always = new ArrayList<>();
    AhoCorasick automaton;
    int[][] byLiteral;
    int[] alwaysRules;

    Group(List<Transformation> chain) {
      this.chain = chain;
      int n = chain.size();
      this.lowercase = n > 0 && chain.get(n - 1) instanceof Lowercase;
      this.caseless = lowercase ? chain.subList(0, n - 1) : chain;
    }
  }

  public Detector(RuleSet ruleSet) {
    this(ruleSet, DEFAULT_THRESHOLD);
  }

  public Detector(RuleSet ruleSet, int threshold) {
    this.ruleSet = ruleSet;
    this.threshold = threshold;
    this.rules = ruleSet.rules().toArray(new Rule[0]);
    Map<String, Group> byChain = new LinkedHashMap<>();
    Map<String, Map<String, List<Integer>>> literalIndex = new LinkedHashMap<>();
    for (int i = 0; i < rules.length; i++) {
      Rule r = rules[i];
      Group g = byChain.computeIfAbsent(r.chainKey(), k -> new Group(r.transformations()));
      g.targets.addAll(r.targets());
      if (r.prefilter().isEmpty()) {
        g.always.add(i);
      } else {
        Map<String, List<Integer>> idx =
            literalIndex.computeIfAbsent(r.chainKey(), k -> new LinkedHashMap<>());
        for (String lit : r.prefilter()) {
          idx.computeIfAbsent(lit, k -> new ArrayList<>()).add(i);
        }
      }
    }
    for (var e : byChain.entrySet()) {
      Group g = e.getValue();
      Map<String, List<Integer>> idx = literalIndex.getOrDefault(e.getKey(), Map.of());
      g.byLiteral = new int[idx.size()][];
      int k = 0;
      for (var le : idx.entrySet()) {
        g.literals.add(le.getKey());
        g.byLiteral[k++] = le.getValue().stream().mapToInt(Integer::intValue).distinct().toArray();
      }
      g.automaton = g.literals.isEmpty() ? null : new AhoCorasick(g.literals);
      g.alwaysRules = g.always.stream().mapToInt(Integer::intValue).toArray();
    }
    this.groups = byChain.values().toArray(new Group[0]);
  }

  public RuleSet ruleSet() {
    return ruleSet;
  }

  public int threshold() {
    return threshold;
  }

  /** Judges one request made to {@code site} (used by site allow-lists; may be null). */
  public Verdict judge(Request request, String site) {
    Match[] found = null;
    RequestTargets targets = new RequestTargets(request);
    for (Group g : groups) {
      for (Target t : g.targets) {
        List<String> values = targets.values(t);
        for (int v = 0; v < values.size(); v++) {
          String raw = values.get(v);
          if (raw == null || raw.isEmpty()) {
            continue;
          }
          String norm = Transformations.applyAll(g.caseless, raw);
          found = run(g, t, norm, request.status(), found);
        }
      }
    }
    if (found == null) {
      return Verdict.CLEAN;
    }
    return verdict(found, request, site);
  }

  private static final Lowercase LOWER = new Lowercase();
  private static final int MAX_HITS = 64;

  /**
   * Runs the rules of a group whose literals occur in {@code text}. The text is lower-cased only
   * when some rule has to run, which for benign traffic is rarely.
   */
  private Match[] run(Group g, Target t, String text, int status, Match[] found) {
    String norm = null;
    if (g.automaton != null) {
      int[] hits = new int[MAX_HITS];
      int n = g.automaton.scan(text, hits);
      for (int h = 0; h < n; h++) {
        for (int ri : g.byLiteral[hits[h]]) {
          if (found != null && found[ri] != null) {
            continue;
          }
          if (norm == null) {
            norm = g.lowercase ? LOWER.apply(text) : text;
          }
          found = test(ri, t, norm, status, found);
        }
      }
      if (n == MAX_HITS) {
        // more literal hits than tracked: run every rule of the group rather than miss one
        for (int[] rules : g.byLiteral) {
          for (int ri : rules) {
            if (norm == null) {
              norm = g.lowercase ? LOWER.apply(text) : text;
            }
            found = test(ri, t, norm, status, found);
          }
        }
      }
    }
    for (int ri : g.alwaysRules) {
      if (norm == null) {
        norm = g.lowercase ? LOWER.apply(text) : text;
      }
      found = test(ri, t, norm, status, found);
    }
    return found;
  }

  private Match[] test(int ri, Target t, String norm, int status, Match[] found) {
    if (found != null && found[ri] != null) {
      return found;
    }
    Rule r = rules[ri];
    if (!r.targets().contains(t)) {
      return found;
    }
    if (!r.statuses().isEmpty() && !r.statuses().contains(status)) {
      return found;
    }
    String fragment = r.operator().find(norm);
    if (fragment == null) {
      return found;
    }
    Match[] out = found == null ? new Match[rules.length] : found;
    out[ri] = new Match(r.id(), r.attackClass(), r.severity(), t.label(), fragment);
    return out;
  }

  private Verdict verdict(Match[] found, Request request, String site) {
    List<Match> matches = new ArrayList<>();
    int score = 0;
    Match best = null;
    String tool = null;
    IpAddress client = null;
    boolean clientParsed = false;
    for (int i = 0; i < found.length; i++) {
      Match m = found[i];
      if (m == null) {
        continue;
      }
      if (!ruleSet.allows().isEmpty()) {
        if (!clientParsed) {
          client = IpAddress.parse(request.clientIp());
          clientParsed = true;
        }
        if (allowed(m.ruleId(), request, client, site)) {
          continue;
        }
      }
      matches.add(m);
      if (tool == null && rules[i].tool() != null) {
        tool = rules[i].tool();
      }
      if (m.attackClass() == null) {
        continue;
      }
      score += m.severity().score();
      if (best == null || stronger(m, best)) {
        best = m;
      }
    }
    if (matches.isEmpty()) {
      return Verdict.CLEAN;
    }
    return new Verdict(score >= threshold, score, best == null ? null : best.attackClass(),
        best == null ? null : best.severity(), tool, List.copyOf(matches));
  }

  /** Severity first; at equal severity an attack class beats the bare "scanner" label. */
  private static boolean stronger(Match m, Match best) {
    if (m.severity().score() != best.severity().score()) {
      return m.severity().score() > best.severity().score();
    }
    return SCANNER.equals(best.attackClass()) && !SCANNER.equals(m.attackClass());
  }

  private boolean allowed(String ruleId, Request request, IpAddress client, String site) {
    for (Allow a : ruleSet.allows()) {
      if (a.covers(ruleId, request.path(), client, site)) {
        return true;
      }
    }
    return false;
  }
}
