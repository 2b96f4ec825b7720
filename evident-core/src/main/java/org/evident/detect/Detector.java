package org.evident.detect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.evident.log.Request;
import org.evident.net.IpAddress;

/**
 * Judges requests against a {@link RuleSet}. Immutable and thread-safe; holds no per-source state.
 *
 * <p>How the benign majority stays cheap: each target value is normalised once per distinct
 * transformation chain, and chains that share a prefix share its work (a tree of prefixes). A
 * chain's final lowercase is deferred, since the prefilter automaton ignores ASCII case. Texts
 * that come out equal for several chains (the usual case: nothing to decode; with CRS, also
 * decoders that agree) are scanned once by an Aho-Corasick automaton over the prefilter literals
 * of the rules that read the target.
 * Only rules whose literal occurs run their operator, on the lower-cased text. Results are
 * remembered per thread twice over: per request line (method, target, protocol), and per value
 * for the values a line does not decide (agents, referers) and for new lines' parts.
 */
public final class Detector {
  /** The CRS default inbound anomaly threshold: one critical match makes an attack. */
  public static final int DEFAULT_THRESHOLD = 5;
  private static final String SCANNER = "scanner";
  private static final Lowercase LOWER = new Lowercase();

  private final RuleSet ruleSet;
  private final int threshold;
  private final int paranoia;
  private final int detectionParanoia;
  private final Rule[] rules;
  /**
   * The allow entries that name each rule (by id, range or tag), by the rule's index: a match is
   * held only against those (none, for most rules), not against every entry.
   */
  private final Allow[][] allowsFor;
  /** The allow entries' {@code arg:} values, compiled ({@code q}, {@code /^utm_/}). */
  private final Map<String, ArgumentSelector.Key> argKeys = new java.util.HashMap<>();
  /** Whether some rules share an id (multiMatch variants), so verdicts count ids once. */
  private final boolean hasVariants;
  /** Per rule: the prefix-tree node whose value is the rule's (caseless) normalised text. */
  private final int[] ruleNode;
  private final boolean[] ruleLowercase;
  /**
   * Per rule, its operator and the statuses it is limited to (null: any), beside the other
   * per-rule arrays: a candidate is tested without loading its Rule, which on long values
   * with many candidates was a sixth of the time (one cache miss per candidate).
   */
  private final Operator[] ruleOperator;
  private final int[][] ruleStatuses;
  /** Prefix tree of chains: node 0 is the raw value; node k applies nodeStep[k] to its parent. */
  private final Transformation[] nodeStep;
  private final int[] nodeParent;
  /** Per node: the characters that may make its step change a value (two 64-bit halves). */
  private final long[] nodeTriggerLo;
  private final long[] nodeTriggerHi;
  /** The targets some rule reads; per target ordinal: nodes to compute, leaves rules read. */
  private final Target[] active;
  /**
   * The active targets in three groups, in the order they are judged: those read off the
   * request line before the others (path, query, arguments, method, protocol), the others
   * (agent, referer, host), and the line's parts after them (the request line). The first and
   * last hold the same for the same method, target and protocol: the line cache keeps them.
   */
  private final Target[] lineHead;
  private final Target[] otherTargets;
  /**
   * Where the Referer's two targets ({@link #REFERER_PAIR}) are judged together
   * ({@link #judgeReferer}): the other targets before and after them. Null when they are not
   * both read, or a rule on either is limited to some statuses; then {@link #otherTargets}.
   */
  private final Target[] beforeReferer;
  private final Target[] afterReferer;
  /**
   * The targets of the headers a log holds beyond the User-Agent, Referer and Host, read by a
   * rule: judged only for a request that has some ({@link RequestTargets#onlyNamedHeaders}), as
   * most logs hold none.
   */
  private final Target[] headerTargets;
  private final Target[] lineTail;
  /** Whether a rule on a line part is limited to certain statuses: line keys then hold it. */
  private final boolean lineStatusKeyed;
  private static final java.util.Set<Target> LINE_PARTS = java.util.EnumSet.of(Target.URI,
      Target.PATH, Target.QUERY, Target.ARGS, Target.ARGS_NAMES, Target.METHOD,
      Target.PROTOCOL, Target.REQUEST_LINE, Target.ARGS_NAME_COUNTS, Target.ARGS_COUNT,
      Target.ARGS_COMBINED_SIZE, Target.BASENAME);
  /**
   * Per target read by every request and made of few distinct values (user agent, referer),
   * values that some thread found clean, one per slot of their hash, else null: a thread that
   * misses its own cache asks here before judging a value again. Every worker met every agent
   * (each judged it once more, and again when its own cache had let it go), and an agent is the
   * costliest value to judge. Slots are written and read without locks: a stale or lost slot
   * only means judging again, and a String is whole in any thread that sees it.
   */
  private final String[][] sharedClean = new String[Target.values().length][];
  private static final int SHARED_SLOTS = 4096;
  private static final java.util.Set<Target> SHARED =
      java.util.EnumSet.of(Target.USER_AGENT, Target.REFERER, Target.REFERER_URL);
  /** Each active target's region of the per-thread value cache, or -1 when it has none. */
  private final int[] cacheRegion = new int[Target.values().length];
  /**
   * Targets whose values may be empty and are there: a header a log shows sent empty
   * ({@code ""}, where {@code -} is one not sent), an argument without a value ({@code ?a=}).
   * An empty value is judged, as ModSecurity judges it, by the rules that match an empty text
   * ({@code ^$}: CRS 920330, an empty User-Agent), whose matches are known before any request.
   */
  private static final java.util.Set<Target> EMPTY_JUDGED = java.util.EnumSet.complementOf(
      java.util.EnumSet.of(Target.HEADERS_NOT_SENT, Target.ARGS_NAME_COUNTS, Target.ARGS_COUNT,
          Target.ARGS_COMBINED_SIZE));
  /**
   * {@link Target#HEADERS_NOT_SENT} has eight values ({@link RequestTargets#notSentBits}): per
   * value, the rules that match it and how, known before any request (null when no rule reads
   * the target). A request then costs a look at its headers, not a value to judge: in a log
   * without Referers, every request has one not sent.
   */
  private final Known[] notSent = new Known[RequestTargets.NOT_SENT_LISTS.size()];
  /**
   * {@link Target#REQUEST_HEADERS_NAMES} of a request without other headers is one of eight
   * lists ({@link RequestTargets#sentBits}): per list, the rules that match it in the end, a
   * chain that reads only what its first line matched decided too (null when no rule reads the
   * target). CRS's 920450 matches every header name and its chain rejects the usual ones: judged
   * per request, every request went through a verdict.
   */
  private final Known[] sent = new Known[RequestTargets.NOT_SENT_LISTS.size()];
  /** {@link Target#REQUEST_HEADERS_NAMES} alone, when a rule reads it; else empty. */
  private final Target[] sentNamesGroup;
  /** Whether {@link #sent} stand for it (no rule on it expands a request's macro). */
  private final boolean sentKnown;
  /** Per target ordinal in {@link #EMPTY_JUDGED}: the rules an empty value matches, and how. */
  private final Known[] empty = new Known[Target.values().length];
  /**
   * The targets whose values hold the whole request target. The line cache keeps their results
   * with the line's; when it misses, the value cache missed too (98% of lookups in the generated
   * month), and each useless entry was a hash over the line and a string kept until the next
   * collection copied it.
   */
  private static final java.util.Set<Target> WHOLE_TARGET =
      java.util.EnumSet.of(Target.URI, Target.REQUEST_LINE);
  private final int[][] nodesFor = new int[Target.values().length][];
  /**
   * Per target, per node in {@link #nodesFor}'s order: the nodes before it there with the same
   * step. When one of them had the same input, its output is this node's too. CRS's chains share
   * steps behind different prefixes (934100 and 934160 both base64-decode, a dozen 932 rules
   * apply cmdLine), and on ordinary values the prefixes change nothing, so the same step met the
   * same text again and again.
   */
  private final int[][][] twinsFor = new int[Target.values().length][][];
  private final int[][] leavesFor = new int[Target.values().length][];
  /** Per target ordinal and leaf: rules with no prefilter, always run. */
  private final int[][][] alwaysFor = new int[Target.values().length][][];
  /**
   * Per target ordinal, the automaton over the literals of the rules that read the target, and
   * per literal its rules. A target few rules read (the raw query, the method, the host; with
   * CRS also the path, User-Agent and Referer) gets an automaton of its own, whose smaller
   * table stays in the CPU's caches; the others share the one over every literal (a table of
   * their own each would only crowd the caches more).
   */
  private final AhoCorasick[] automatonFor = new AhoCorasick[Target.values().length];
  private final int[][][] byLiteralFor = new int[Target.values().length][][];
  /**
   * Folded literals (see {@link RegexLiterals}), read in a text with its evasion characters
   * removed; their rules also run on every text holding a {@code $}. The plain automaton holds
   * them too: a literal without evasion characters that occurs in a text occurs in its folded
   * form, so only texts holding evasion characters need the second scan.
   */
  private final AhoCorasick foldedAutomaton;
  private final int[][] byFoldedLiteral;
  private final int[] foldedRules;
  private static final long FOLD_LO = RegexLiterals.FOLDED_LO;
  private static final long FOLD_HI = RegexLiterals.FOLDED_HI;

  /** Targets some rule judges only at certain response statuses: their cache keys hold it. */
  private final boolean[] statusKeyed = new boolean[Target.values().length];
  /**
   * Per rule, the first of the rules that give the same answer on the same text, or -1 for a
   * rule alone: the variants a {@code multiMatch} rule becomes (one id, one operator) often read
   * equal texts, as most steps change nothing, and CRS's detectSQLi ran five times on each
   * User-Agent.
   */
  private final int[] variantOf;
  /** Per rule, its targets as bits by ordinal: a test on every candidate rule. */
  private final long[] ruleTargets;
  /** Per rule: a chain whose outcome depends only on the values its first line looked at. */
  private final boolean[] chainReadsOnlyHead;
  /**
   * By target ordinal, then rule: the arguments, headers or cookies it reads by name
   * ({@code ARGS:_method}, {@code REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/}), or null for all
   * (a target's row is null when no rule names any); {@link #keyed} whether any rule has one,
   * so that the rule sets without (most) never look.
   */
  private final ArgumentSelector[][] selectorFor = new ArgumentSelector[Target.values().length][];
  private final boolean keyed;
  /**
   * The matches known for another header not sent ({@link #notSent} are those of the
   * User-Agent, Referer and Host), by name: computed when a log first holds it. The names come
   * from log formats, so they are few; bounded all the same.
   */
  private final Map<String, Known> othersNotSent = new java.util.concurrent.ConcurrentHashMap<>();

  /** Matches known before any request ({@link #known}), and their rules' indexes. */
  private record Known(int[] rules, Match[] hits) {}
  private final ThreadLocal<Scratch> scratch;

  /**
   * Values longer than this are judged on their first this-many characters. Web servers refuse
   * request lines over 8 KiB (Apache, nginx defaults), so a longer value in a log is a refused
   * request; the cap keeps the work per line bounded whatever an attacker sends.
   */
  public static final int MAX_VALUE_CHARS = 32_768;

  /**
   * Values up to this length are remembered with their result in a small per-thread cache (real
   * traffic repeats its paths, arguments and agents); longer ones are judged each time, so the
   * cache holds at most about 4,096 x 512 characters per thread.
   */
  static final int CACHE_MAX_CHARS = 512;

  /** The CRS default paranoia level. */
  public static final int DEFAULT_PARANOIA = 1;

  /**
   * Characters of text RE2/J may read per request once the DFA screens have let it through. A
   * hostile line of long values that match dozens of CRS patterns for real took up to 160 ms,
   * most of it RE2/J locating each match. Past the budget a pattern's screen decides alone:
   * "cannot match" stays no match, anything else counts as a match whose fragment is the
   * value's start. Counted, not timed, so a verdict does not depend on the machine. Benign
   * values rarely get past a screen, so they spend next to none of it; 16 Ki is two values as
   * long as a server accepts, and keeps the random 8,000-character lines of HostileInput with
   * CRS near 15 ms (64 Ki: 22 ms, with spikes past 50).
   */
  static final int REGEX_CHARS_PER_REQUEST = 16_384;
  private final int regexCharsPerRequest;

  public Detector(RuleSet ruleSet) {
    this(ruleSet, DEFAULT_THRESHOLD, DEFAULT_PARANOIA);
  }

  /**
   * @param threshold the anomaly score at which a request is an attack
   * @param paranoia 1-4: rules of a higher paranoia level than this are not run
   */
  public Detector(RuleSet ruleSet, int threshold, int paranoia) {
    this(ruleSet, threshold, paranoia, paranoia);
  }

  /**
   * A detector that also runs the rules of the levels above {@code paranoia} up to
   * {@code detectionParanoia} without scoring them, as CRS's detection paranoia level does: a
   * site tuned at one level sees what the next would flag before it blocks or counts on it.
   *
   * @param detectionParanoia 1-4; below {@code paranoia} it is raised to it, as CRS does
   */
  public Detector(RuleSet ruleSet, int threshold, int paranoia, int detectionParanoia) {
    this(ruleSet, threshold, paranoia, detectionParanoia, REGEX_CHARS_PER_REQUEST);
  }

  /** As above, with another budget of characters RE2/J may read per request (for tests). */
  Detector(RuleSet ruleSet, int threshold, int paranoia, int detectionParanoia,
      int regexCharsPerRequest) {
    this.regexCharsPerRequest = regexCharsPerRequest;
    if (paranoia < 1 || paranoia > 4 || detectionParanoia < 1 || detectionParanoia > 4) {
      throw new IllegalArgumentException("paranoia level must be 1 to 4");
    }
    this.ruleSet = ruleSet;
    this.threshold = threshold;
    this.paranoia = paranoia;
    this.detectionParanoia = Math.max(paranoia, detectionParanoia);
    this.rules = ruleSet.rules().stream().filter(r -> r.paranoia() <= this.detectionParanoia)
        .toArray(Rule[]::new);
    this.hasVariants = java.util.Arrays.stream(rules).map(Rule::id).distinct().count()
        < rules.length;
    for (Allow a : ruleSet.allows()) {
      if (a.arg() != null) {
        argKeys.computeIfAbsent(a.arg(), ArgumentSelector.Key::parse);
      }
    }
    this.allowsFor = java.util.Arrays.stream(rules).map(r -> ruleSet.allows().stream()
        .filter(a -> a.names(r)).toArray(Allow[]::new)).toArray(Allow[][]::new);
    // rules read their prefilter off their pattern when first asked (RequiredLiterals): ask in
    // parallel, as compiling the rules was
    java.util.Arrays.stream(rules).parallel().forEach(r -> r.prefilter().size());
    this.ruleNode = new int[rules.length];
    this.ruleLowercase = new boolean[rules.length];
    this.ruleOperator = new Operator[rules.length];
    this.ruleStatuses = new int[rules.length][];
    for (int i = 0; i < rules.length; i++) {
      ruleOperator[i] = rules[i].operator();
      ruleStatuses[i] = rules[i].statuses().isEmpty() ? null
          : rules[i].statuses().stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    boolean notSentRead = java.util.Arrays.stream(rules)
        .anyMatch(r -> r.targets().contains(Target.HEADERS_NOT_SENT));
    for (int bits = 0; notSentRead && bits < notSent.length; bits++) {
      notSent[bits] = known(Target.HEADERS_NOT_SENT, RequestTargets.NOT_SENT_LISTS.get(bits),
          null);
    }
    for (Target t : EMPTY_JUDGED) {
      empty[t.ordinal()] = known(t, List.of(""), null);
    }

    Map<String, Integer> nodes = new LinkedHashMap<>();
    List<Transformation> steps = new ArrayList<>();
    List<Integer> parents = new ArrayList<>();
    nodes.put("", 0);
    steps.add(null);
    parents.add(-1);
    for (int i = 0; i < rules.length; i++) {
      List<Transformation> chain = rules[i].transformations();
      int n = chain.size();
      ruleLowercase[i] = n > 0 && chain.get(n - 1) instanceof Lowercase;
      List<Transformation> caseless = ruleLowercase[i] ? chain.subList(0, n - 1) : chain;
      int node = 0;
      StringBuilder key = new StringBuilder();
      for (Transformation t : caseless) {
        key.append(t.name()).append(',');
        Integer existing = nodes.get(key.toString());
        if (existing == null) {
          existing = steps.size();
          nodes.put(key.toString(), existing);
          steps.add(t);
          parents.add(node);
        }
        node = existing;
      }
      ruleNode[i] = node;
    }
    this.nodeStep = steps.toArray(new Transformation[0]);
    this.nodeParent = parents.stream().mapToInt(Integer::intValue).toArray();
    this.nodeTriggerLo = new long[nodeStep.length];
    this.nodeTriggerHi = new long[nodeStep.length];
    for (int k = 1; k < nodeStep.length; k++) {
      String trig = nodeStep[k].triggers();
      if (trig == null) {
        nodeTriggerLo[k] = -1L;
        nodeTriggerHi[k] = -1L;
      } else if (trig.isEmpty()) {
        // no ASCII character: only a value beyond ASCII, which sets every bit, runs it (the NUL
        // bit stands for them all; a value with a NUL runs it too, and gets itself back)
        nodeTriggerLo[k] = 1L;
      } else {
        for (char c : trig.toCharArray()) {
          if (c < 64) {
            nodeTriggerLo[k] |= 1L << c;
          } else {
            nodeTriggerHi[k] |= 1L << (c - 64);
          }
        }
      }
    }

    List<Target> activeTargets = new ArrayList<>();
    for (Target t : Target.values()) {
      boolean[] need = new boolean[nodeStep.length];
      boolean[] leaf = new boolean[nodeStep.length];
      for (int i = 0; i < rules.length; i++) {
        if (rules[i].targets().contains(t)) {
          leaf[ruleNode[i]] = true;
          for (int k = ruleNode[i]; k >= 0; k = nodeParent[k]) {
            need[k] = true;
          }
        }
      }
      List<Integer> order = new ArrayList<>();
      List<Integer> leaves = new ArrayList<>();
      for (int k = 1; k < need.length; k++) {
        if (need[k]) {
          order.add(k); // parents were added before children, so index order is safe
        }
      }
      for (int k = 0; k < leaf.length; k++) {
        if (leaf[k]) {
          leaves.add(k);
        }
      }
      if (leaves.isEmpty()) {
        continue;
      }
      activeTargets.add(t);
      nodesFor[t.ordinal()] = order.stream().mapToInt(Integer::intValue).toArray();
      int[][] twins = new int[order.size()][];
      for (int p = 0; p < order.size(); p++) {
        String name = steps.get(order.get(p)).name();
        List<Integer> same = new ArrayList<>();
        for (int q = 0; q < p; q++) {
          if (steps.get(order.get(q)).name().equals(name)) {
            same.add(order.get(q));
          }
        }
        twins[p] = same.stream().mapToInt(Integer::intValue).toArray();
      }
      twinsFor[t.ordinal()] = twins;
      int[] leafArray = leaves.stream().mapToInt(Integer::intValue).toArray();
      leavesFor[t.ordinal()] = leafArray;
      int[][] always = new int[leafArray.length][];
      for (int l = 0; l < leafArray.length; l++) {
        List<Integer> a = new ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
          if (rules[i].prefilter().isEmpty() && ruleNode[i] == leafArray[l]
              && rules[i].targets().contains(t)) {
            a.add(i);
          }
        }
        always[l] = a.stream().mapToInt(Integer::intValue).toArray();
      }
      alwaysFor[t.ordinal()] = always;
    }
    this.active = activeTargets.toArray(new Target[0]);

    Map<String, List<Integer>> literalRules = new LinkedHashMap<>();
    Map<String, List<Integer>> foldedLiteralRules = new LinkedHashMap<>();
    List<Integer> folding = new ArrayList<>();
    for (int i = 0; i < rules.length; i++) {
      for (String lit : rules[i].prefilter()) {
        if (lit.charAt(0) == RegexLiterals.FOLDED) {
          lit = lit.substring(1);
          foldedLiteralRules.computeIfAbsent(lit, k -> new ArrayList<>()).add(i);
          if (!folding.contains(i)) {
            folding.add(i);
          }
        }
        literalRules.computeIfAbsent(lit, k -> new ArrayList<>()).add(i);
      }
    }
    // The shared automaton is built on another thread while this one builds the rest: with CRS
    // it has 35,000 states and the rest 27,000 (each took 50-90 ms), and a scan's first line
    // waits for all of them (a one-line scan with CRS: 1.12 -> 1.09 s, eighteen pairs).
    CompletableFuture<AhoCorasick> sharedBuild = literalRules.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.supplyAsync(
            () -> new AhoCorasick(new ArrayList<>(literalRules.keySet())));
    int[][] sharedRules = ruleLists(literalRules);
    List<Target> sharing = new ArrayList<>();
    for (Target t : active) {
      Map<String, List<Integer>> own = new LinkedHashMap<>();
      literalRules.forEach((lit, rs) -> {
        for (int i : rs) {
          if (rules[i].targets().contains(t)) {
            own.computeIfAbsent(lit, k -> new ArrayList<>()).add(i);
          }
        }
      });
      if (own.isEmpty()) {
        continue; // no rule reading this target has a literal: no scan
      }
      if (2 * own.size() <= literalRules.size()) {
        automatonFor[t.ordinal()] = new AhoCorasick(new ArrayList<>(own.keySet()));
        byLiteralFor[t.ordinal()] = ruleLists(own);
      } else {
        sharing.add(t);
      }
    }
    this.byFoldedLiteral = ruleLists(foldedLiteralRules);
    this.foldedAutomaton = foldedLiteralRules.isEmpty() ? null
        : new AhoCorasick(new ArrayList<>(foldedLiteralRules.keySet()));
    AhoCorasick shared;
    try {
      shared = sharedBuild.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Error err) {
        throw err; // as if built on this thread
      }
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
    for (Target t : sharing) {
      automatonFor[t.ordinal()] = shared;
      byLiteralFor[t.ordinal()] = sharedRules;
    }
    this.foldedRules = folding.stream().mapToInt(Integer::intValue).toArray();
    this.ruleTargets = new long[rules.length];
    this.chainReadsOnlyHead = new boolean[rules.length];
    boolean anyKeyed = false;
    for (int i = 0; i < rules.length; i++) {
      for (Map.Entry<Target, ArgumentSelector> e : rules[i].selectors().entrySet()) {
        if (!e.getValue().all() && e.getKey().selectable()) {
          int t = e.getKey().ordinal();
          if (selectorFor[t] == null) {
            selectorFor[t] = new ArgumentSelector[rules.length];
          }
          selectorFor[t][i] = e.getValue();
          anyKeyed = true;
        }
      }
    }
    this.keyed = anyKeyed;
    for (int i = 0; i < rules.length; i++) {
      chainReadsOnlyHead[i] = rules[i].chain() != null && rules[i].chain().readsOnlyHead();
    }
    boolean sentRead = java.util.Arrays.asList(active).contains(Target.REQUEST_HEADERS_NAMES);
    this.sentNamesGroup = sentRead ? new Target[] {Target.REQUEST_HEADERS_NAMES} : new Target[0];
    this.sentKnown = sentRead && java.util.Arrays.stream(rules).noneMatch(r -> r.operator()
        instanceof MacroOperator && r.targets().contains(Target.REQUEST_HEADERS_NAMES));
    for (int bits = 0; sentKnown && bits < sent.length; bits++) {
      sent[bits] = known(Target.REQUEST_HEADERS_NAMES, RequestTargets.NOT_SENT_LISTS.get(bits),
          sentBy(bits));
    }
    this.variantOf = new int[rules.length];
    java.util.Arrays.fill(variantOf, -1);
    Map<Operator, List<Integer>> byOperator = new java.util.IdentityHashMap<>();
    for (int i = 0; i < rules.length; i++) {
      List<Integer> same = byOperator.computeIfAbsent(ruleOperator[i], k -> new ArrayList<>());
      for (int first : same) {
        if (rules[first].id().equals(rules[i].id()) && ruleLowercase[first] == ruleLowercase[i]
            && rules[first].targets().equals(rules[i].targets())
            && rules[first].selectors().equals(rules[i].selectors())
            && rules[first].statuses().equals(rules[i].statuses())) {
          variantOf[first] = first;
          variantOf[i] = first;
          break;
        }
      }
      if (variantOf[i] < 0) {
        same.add(i);
      }
    }
    for (int i = 0; i < rules.length; i++) {
      for (Target t : rules[i].targets()) {
        ruleTargets[i] |= 1L << t.ordinal();
        if (!rules[i].statuses().isEmpty()) {
          statusKeyed[t.ordinal()] = true;
        }
      }
    }
    java.util.Arrays.fill(cacheRegion, -1);
    int regions = 0;
    for (Target t : active) {
      if (!WHOLE_TARGET.contains(t) && t != Target.HEADERS_NOT_SENT) {
        cacheRegion[t.ordinal()] = regions++;
      }
    }
    int cachedTargets = regions;
    for (Target t : active) {
      if (SHARED.contains(t) && !statusKeyed[t.ordinal()]) {
        sharedClean[t.ordinal()] = new String[SHARED_SLOTS];
      }
    }
    List<List<Target>> groups = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    int group = 0;
    boolean keyed = false;
    for (Target t : active) {
      if (t == Target.HEADERS_NOT_SENT || t == Target.REQUEST_HEADERS_NAMES) {
        continue; // judged before the others, from notSent and sent
      }
      boolean linePart = LINE_PARTS.contains(t);
      if (group == 0 && !linePart || group == 1 && linePart) {
        group++;
      } else if (group == 2 && !linePart) {
        throw new IllegalStateException("targets out of the line cache's order: " + t);
      }
      groups.get(group).add(t);
      keyed |= linePart && statusKeyed[t.ordinal()];
    }
    this.lineHead = groups.get(0).toArray(new Target[0]);
    this.otherTargets = groups.get(1).stream().filter(t -> !HEADER_TARGETS.contains(t))
        .toArray(Target[]::new);
    List<Target> others = List.of(otherTargets);
    int at = others.indexOf(Target.REFERER);
    if (at >= 0 && at + 1 < others.size() && others.get(at + 1) == Target.REFERER_URL
        && !statusKeyed[Target.REFERER.ordinal()] && !statusKeyed[Target.REFERER_URL.ordinal()]) {
      this.beforeReferer = others.subList(0, at).toArray(new Target[0]);
      this.afterReferer = others.subList(at + 2, others.size()).toArray(new Target[0]);
    } else {
      this.beforeReferer = null;
      this.afterReferer = null;
    }
    this.headerTargets = groups.get(1).stream().filter(HEADER_TARGETS::contains)
        .toArray(Target[]::new);
    this.lineTail = groups.get(2).toArray(new Target[0]);
    this.lineStatusKeyed = keyed;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(rules.length, nodeStep.length,
        shared == null ? 0 : shared.size(),
        foldedAutomaton == null ? 0 : foldedAutomaton.size(), cachedTargets));
  }

  /** See {@link #headerTargets}. */
  private static final java.util.Set<Target> HEADER_TARGETS = java.util.EnumSet.of(
      Target.REQUEST_HEADERS, Target.REQUEST_COOKIES, Target.REQUEST_COOKIES_NAMES);

  private static int[][] ruleLists(Map<String, List<Integer>> byLiteral) {
    int[][] out = new int[byLiteral.size()][];
    int k = 0;
    for (List<Integer> rs : byLiteral.values()) {
      out[k++] = rs.stream().mapToInt(Integer::intValue).distinct().toArray();
    }
    return out;
  }

  public RuleSet ruleSet() {
    return ruleSet;
  }

  public int threshold() {
    return threshold;
  }

  public int paranoia() {
    return paranoia;
  }

  /** The paranoia level up to which rules run; those above {@link #paranoia()} score nothing. */
  public int detectionParanoia() {
    return detectionParanoia;
  }

  /** The rule with this id among those this detector runs, or {@code null}. */
  public Rule rule(String id) {
    for (Rule r : rules) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    return null;
  }

  /**
   * The rule that made {@code m}: of the rules with its id (CRS's rules that read arguments and
   * raw values are two, whose transformations differ), the one that reads where it was found.
   */
  public Rule rule(Match m) {
    String where = m.target();
    int colon = where == null ? -1 : where.indexOf(':');
    Target t = null;
    for (Target x : Target.values()) {
      if (where != null && x.label().equals(colon < 0 ? where : where.substring(0, colon))) {
        t = x;
      }
    }
    for (Rule r : rules) {
      if (r.id().equals(m.ruleId()) && (t == null || r.targets().contains(t))) {
        return r;
      }
    }
    return rule(m.ruleId());
  }

  /** Judges one request made to {@code site} (used by site allow-lists; may be null). */
  public Verdict judge(Request request, String site) {
    return judge(request, site, scratch.get());
  }

  /**
   * This thread's judge: {@link #judge} without finding the thread's working memory again for
   * every request (a hash lookup, a few percent of a cached request's cost). A scan's worker
   * takes one per batch of lines. Use it only in the thread that took it.
   */
  public ThreadJudge forThisThread() {
    return new ThreadJudge(scratch.get());
  }

  /** {@link Detector#judge} bound to one thread's working memory; see {@link #forThisThread}. */
  public final class ThreadJudge {
    private final Scratch s;

    private ThreadJudge(Scratch s) {
      this.s = s;
    }

    public Verdict judge(Request request, String site) {
      return Detector.this.judge(request, site, s);
    }
  }

  private Verdict judge(Request request, String site, Scratch s) {
    s.found = s.requestFound;
    s.found.clear();
    s.regexBudget = regexCharsPerRequest;
    s.budgetSpentInRequest = false;
    RequestTargets targets = new RequestTargets(request);
    int status = request.status();
    String target = request.target();
    int line = target == null || target.length() > CACHE_MAX_CHARS ? NOT_CACHED
        : findLine(request, s);
    if (line >= 0) {
      boolean hits = s.lineMeta[4 * line + 3] != 0; // nearly every line: nothing matched
      if (hits) {
        addHits(s.lineRules[2 * line], s.lineHits[2 * line], null, null, s);
      }
      judgeHeaders(request, targets, status, s);
      if (hits) {
        addHits(s.lineRules[2 * line + 1], s.lineHits[2 * line + 1], null, null, s);
      }
    } else {
      judgeTargets(lineHead, targets, status, s);
      int[] headRules = s.found.rules();
      Match[] headHits = s.found.matches(headRules);
      judgeHeaders(request, targets, status, s); // the request's, not the line's: after it
      // the tail is judged on its own, then merged: first match per rule wins, as in one pass
      int[] tailRules = judgeApart(lineTail, s.tailFound, targets, status, s);
      Match[] tailHits = s.tailFound.matches(tailRules);
      addHits(tailRules, tailHits, null, null, s);
      if (line != NOT_CACHED && !s.budgetSpentInRequest) {
        storeLine(-line - 2, request, headRules, headHits, tailRules, tailHits, s);
      }
    }
    return s.found.isEmpty() ? Verdict.CLEAN : verdict(s.found, request, site, s);
  }

  /** What a request has beyond its line: its headers, those not sent, their names. */
  private void judgeHeaders(Request request, RequestTargets targets, int status, Scratch s) {
    judgeNotSent(request, status, s);
    judgeSentNames(request, targets, status, s);
    if (beforeReferer == null) {
      judgeTargets(otherTargets, targets, status, s);
    } else {
      judgeTargets(beforeReferer, targets, status, s);
      judgeReferer(targets, status, s);
      judgeTargets(afterReferer, targets, status, s);
    }
    if (headerTargets.length > 0 && !RequestTargets.onlyNamedHeaders(request)) {
      judgeTargets(headerTargets, targets, status, s);
    }
  }

  private void judgeTargets(Target[] group, RequestTargets targets, int status, Scratch s) {
    for (Target t : group) {
      int n = targets.size(t);
      for (int v = 0; v < n; v++) {
        String raw = targets.get(t, v);
        s.argName = t.hasNamedValues() ? targets.name(t, v) : null;
        s.argKey = t.isNames() ? raw : s.argName;
        if (raw == null || raw.isEmpty()) {
          if (raw != null) {
            judgeEmpty(t, status, s);
          }
          continue;
        }
        if (raw.length() > MAX_VALUE_CHARS) {
          raw = raw.substring(0, MAX_VALUE_CHARS);
        }
        if (raw.length() <= CACHE_MAX_CHARS && cacheRegion[t.ordinal()] >= 0) {
          judgeCached(t, raw, status, s);
        } else {
          judgeValue(t, raw, status, s);
        }
      }
    }
    s.argName = null;
    s.argKey = null;
  }

  private static final Target[] REFERER_PAIR = {Target.REFERER, Target.REFERER_URL};

  /**
   * The Referer whole ({@link Target#REFERER}) and in its parts ({@link Target#REFERER_URL}),
   * judged together and answered by one lookup: the matches of both are kept per thread by the
   * whole Referer, as the line cache keeps a request line's. Two lookups of one text made a
   * scan 2-3% slower than one had, and a page's assets all send its URL as their Referer, which,
   * with a query, was split and each part looked up again for each of them. Not kept when the
   * regex budget ran out while judging them (judged by screens alone).
   */
  private void judgeReferer(RequestTargets targets, int status, Scratch s) {
    String r = targets.referer();
    if (r == null || r.isEmpty() || r.length() > CACHE_MAX_CHARS) {
      judgeTargets(REFERER_PAIR, targets, status, s);
      return;
    }
    int hash = TextHash.of(r, s.hashBuffer);
    int slot = (hash ^ (hash >>> 15)) & (Scratch.REFERER_SLOTS - 1);
    if (s.refererHash[slot] == hash && r.equals(s.refererKey[slot])) {
      if (s.refererRules[slot].length > 0) {
        addHits(s.refererRules[slot], s.refererHits[slot], null, null, s);
      }
      return;
    }
    boolean spentBefore = s.budgetSpentInRequest;
    s.budgetSpentInRequest = false;
    int[] rulesHit = judgeApart(REFERER_PAIR, s.refererFound, targets, status, s);
    Match[] hits = s.refererFound.matches(rulesHit);
    if (!s.budgetSpentInRequest) {
      s.refererHash[slot] = hash;
      s.refererKey[slot] = r;
      s.refererRules[slot] = rulesHit;
      s.refererHits[slot] = hits;
    }
    s.budgetSpentInRequest |= spentBefore;
    addHits(rulesHit, hits, null, null, s);
  }

  /**
   * Judges {@code group} into {@code apart} alone, to be kept or merged after: the matches of
   * the request so far do not hide a rule's match there. Returns the rules found, by index.
   */
  private int[] judgeApart(Target[] group, Found apart, RequestTargets targets, int status,
      Scratch s) {
    Found before = s.found;
    s.found = apart;
    apart.clear();
    judgeTargets(group, targets, status, s);
    s.found = before;
    return apart.rules();
  }

  /*
   * judgeTargets is the detector's innermost loop, and every request runs it: what few values
   * need is in methods of their own, so that its own code stays small enough to be inlined.
   */

  /** The headers not sent: the matches known for them, of rules not limited to other statuses. */
  private void judgeNotSent(Request request, int status, Scratch s) {
    if (notSent[0] == null) {
      return; // no rule reads it
    }
    int bits = RequestTargets.notSentBits(request);
    if (bits != 0) {
      addKnown(notSent[bits], null, status, s);
    }
    if (!request.otherHeaders().isEmpty()) {
      judgeOthersNotSent(request, status, s);
    }
  }

  /** The names of the headers sent: known before the request, unless it has other headers. */
  private void judgeSentNames(Request request, RequestTargets targets, int status, Scratch s) {
    if (sentNamesGroup.length == 0) {
      return;
    }
    if (sentKnown && RequestTargets.onlyNamedHeaders(request)) {
      addKnown(sent[RequestTargets.sentBits(request)], null, status, s);
    } else {
      judgeTargets(sentNamesGroup, targets, status, s);
    }
  }

  /**
   * A request that sent the headers of {@link RequestTargets#sentBits} {@code bits} and no
   * other: on it {@link #sent} decides the chains that read only what their first line matched.
   */
  private static Request sentBy(int bits) {
    return new Request(0, "192.0.2.1", (bits & 4) != 0 ? "localhost" : null, "GET", "/",
        "HTTP/1.1", 200, 0, (bits & 2) != 0 ? "x" : null, (bits & 1) != 0 ? "x" : null, null,
        (bits & 4) != 0 ? java.util.Set.of(org.evident.log.Header.HOST) : java.util.Set.of());
  }

  /** The other headers the log holds and the request did not send (CRS 920300: no Accept). */
  private void judgeOthersNotSent(Request request, int status, Scratch s) {
    for (String name : RequestTargets.othersNotSent(request)) {
      Known k = othersNotSent.get(name);
      if (k == null) {
        k = known(Target.HEADERS_NOT_SENT, List.of(name), null);
        if (othersNotSent.size() < 256) {
          othersNotSent.put(name, k);
        }
      }
      addKnown(k, null, status, s);
    }
  }

  /**
   * An empty value: the matches of the rules an empty text matches (of an argument's, those of
   * rules that read it, named for it).
   */
  private void judgeEmpty(Target t, int status, Scratch s) {
    Known k = empty[t.ordinal()];
    if (k != null && k.rules().length > 0) {
      addKnown(k, t, status, s);
    }
  }

  /**
   * Adds matches known before the request ({@link #known}) of rules not found yet, of those not
   * limited to other statuses; of a value of {@code t} (or null), those of rules that read its
   * argument, named for it.
   */
  private void addKnown(Known k, Target t, int status, Scratch s) {
    int[] idx = k.rules();
    Match[] hits = k.hits();
    for (int h = 0; h < idx.length; h++) {
      int[] statuses = ruleStatuses[idx[h]];
      if (!s.found.has(idx[h])
          && (statuses == null || java.util.Arrays.binarySearch(statuses, status) >= 0)
          && (t == null || reads(idx[h], t, s))) {
        s.found.put(idx[h], t == null || s.argName == null ? hits[h]
            : hits[h].in(named(t, s.argName)));
      }
    }
  }

  /**
   * The rules that read {@code t} and match one of {@code texts} (the first one they match),
   * with their match: for values known before any request. Given a request {@code on} that has
   * those values, a rule that reads nothing else and whose chain reads only what its first line
   * matched is kept only where that chain holds on it; other chains are left to the verdict.
   */
  private Known known(Target t, List<String> texts, Request on) {
    List<Integer> idx = new ArrayList<>();
    List<Match> hits = new ArrayList<>();
    for (int i = 0; i < rules.length; i++) {
      Rule r = rules[i];
      if (!r.targets().contains(t) || r.operator() instanceof MacroOperator) {
        continue;
      }
      for (String text : texts) {
        String value = Transformations.applyAll(r.transformations(), text);
        if (value.isEmpty() && !r.prefilter().isEmpty() && !r.prefilter().contains("")) {
          // none of its literals is in an empty text, so judging would not run it either; and
          // running it would build its pattern's screen now, for every rule on every target
          // (with CRS a tenth of a second before the first line, for rules most logs never run)
          continue;
        }
        String fragment = r.operator().find(value);
        if (fragment != null) {
          if (on == null || !chainReadsOnlyHead[i] || r.targets().size() > 1
              || r.chain().holds(r, new RequestTargets(on))) {
            idx.add(i);
            hits.add(new Match(r.id(), r.attackClass(), r.severity(), t.label(), fragment));
          }
          break;
        }
      }
    }
    return idx.isEmpty() ? NONE_KNOWN : new Known(
        idx.stream().mapToInt(Integer::intValue).toArray(), hits.toArray(new Match[0]));
  }

  private static final int NOT_CACHED = -1;

  /**
   * The line cache's slot holding this request's method, target and protocol, or, when none
   * does, {@code -slot - 2} for the slot to fill. Real traffic repeats whole request targets
   * (in the generated month four requests in five), and one lookup then stands for the dozen
   * its path, query, arguments and request line would each need. Two-way, as the value cache.
   */
  private int findLine(Request request, Scratch s) {
    String target = request.target();
    String method = request.method();
    String protocol = request.protocol();
    int keyStatus = lineStatusKeyed ? request.status() : 0;
    int hash = (TextHash.of(target, s.hashBuffer) * 31 + java.util.Objects.hashCode(method))
        * 31 + java.util.Objects.hashCode(protocol);
    int mix = hash * 31 + keyStatus;
    int slot = (mix ^ (mix >>> 12)) & (Scratch.LINE_SLOTS - 2);
    int[] meta = s.lineMeta;
    for (int way = slot; way < slot + 2; way++) {
      if (meta[4 * way] == hash && meta[4 * way + 1] == keyStatus
          && target.equals(s.lineKey[3 * way])
          && java.util.Objects.equals(method, s.lineKey[3 * way + 1])
          && java.util.Objects.equals(protocol, s.lineKey[3 * way + 2])) {
        meta[4 * way + 2] = ++s.clock;
        return way;
      }
    }
    int victim = meta[4 * slot + 2] - meta[4 * slot + 6] <= 0 ? slot : slot + 1;
    meta[4 * victim] = hash;
    meta[4 * victim + 1] = keyStatus;
    s.lineKey[3 * victim] = null; // filled by storeLine once the request is judged
    return -victim - 2;
  }

  private void storeLine(int slot, Request request, int[] headRules, Match[] headHits,
      int[] tailRules, Match[] tailHits, Scratch s) {
    s.lineKey[3 * slot] = request.target();
    s.lineKey[3 * slot + 1] = request.method();
    s.lineKey[3 * slot + 2] = request.protocol();
    s.lineMeta[4 * slot + 2] = ++s.clock;
    s.lineMeta[4 * slot + 3] = headHits.length + tailHits.length;
    if (headHits.length + tailHits.length > 0) { // read only then, as the value cache's
      s.lineRules[2 * slot] = headRules;
      s.lineHits[2 * slot] = headHits;
      s.lineRules[2 * slot + 1] = tailRules;
      s.lineHits[2 * slot + 1] = tailHits;
    }
  }

  /**
   * Adds matches of the rules {@code indexes} that are not found yet, named for an argument; of
   * a value cached for target {@code t} (or null), those of rules that read the argument.
   */
  private void addHits(int[] indexes, Match[] hits, String argName, Target t, Scratch s) {
    for (int h = 0; h < hits.length; h++) {
      if (!s.found.has(indexes[h]) && (t == null || reads(indexes[h], t, s))) {
        s.found.put(indexes[h], argName == null ? hits[h] : hits[h].in(named(t, argName)));
      }
    }
  }

  /**
   * The matches found so far, by rule index: for a request, for the tail of its line, or for one
   * value being cached. Reused from request to request and cleared through the list of rules it
   * holds, so that a request costs what it matched rather than the number of rules (with CRS, a
   * third of ordinary requests match some rule, and a fresh array of a thousand slots each, read
   * whole three times, was a tenth of detection).
   */
  private static final class Found {
    private final Match[] byRule;
    /** The rules put, in the order they were put; {@link #sort} orders them by index. */
    private final int[] order;
    private int n;

    Found(int rules) {
      byRule = new Match[rules];
      order = new int[rules];
    }

    boolean has(int ri) {
      return byRule[ri] != null;
    }

    Match get(int ri) {
      return byRule[ri];
    }

    /** Only for a rule not found yet. */
    void put(int ri, Match m) {
      byRule[ri] = m;
      order[n++] = ri;
    }

    /** Drops a rule's match (its chain did not hold); its index stays listed, to be skipped. */
    void drop(int ri) {
      byRule[ri] = null;
    }

    boolean isEmpty() {
      return n == 0;
    }

    int size() {
      return n;
    }

    /** The {@code k}-th rule listed; after {@link #sort}, in index order. */
    int rule(int k) {
      return order[k];
    }

    /** Lists the rules in index order, the order in which a verdict weighs them. */
    void sort() {
      for (int i = 1; i < n; i++) { // a handful: insertion sort
        int v = order[i];
        int j = i - 1;
        for (; j >= 0 && order[j] > v; j--) {
          order[j + 1] = order[j];
        }
        order[j + 1] = v;
      }
    }

    /** The indexes of the rules found, in index order. */
    int[] rules() {
      if (n == 0) {
        return NO_RULES;
      }
      sort();
      return java.util.Arrays.copyOf(order, n);
    }

    Match[] matches(int[] indexes) {
      if (indexes.length == 0) {
        return NO_MATCHES;
      }
      Match[] out = new Match[indexes.length];
      for (int k = 0; k < indexes.length; k++) {
        out[k] = byRule[indexes[k]];
      }
      return out;
    }

    void clear() {
      for (int k = 0; k < n; k++) {
        byRule[order[k]] = null;
      }
      n = 0;
    }
  }

  /**
   * Judges a value that recurs across requests (paths, arguments, user agents, referers) through
   * a small cache of earlier results: real traffic repeats itself, and scanning each again would
   * be most of the work. Bounded, per thread, and a miss costs one scan. Two-way: a value has two
   * slots, and a miss replaces the one used longer ago, so a recurring value is not lost to a
   * one-off that happens to share its slot (thousands of user agents beside one-off tokens).
   * For targets with status-limited rules the status is part of the key: their result depends
   * on it too.
   */
  private void judgeCached(Target t, String raw, int status, Scratch s) {
    int keyStatus = statusKeyed[t.ordinal()] ? status : 0;
    int hash = TextHash.of(raw, s.hashBuffer);
    int mix = hash * 31 + keyStatus;
    int slot = cacheRegion[t.ordinal()] * Scratch.CACHE_SLOTS
        + ((mix ^ (mix >>> 12)) & (Scratch.CACHE_SLOTS - 2));
    // both ways' hash, status and stamp sit side by side: most misses are decided without
    // loading a cached string (each load of one, scattered in the heap, is a cache miss)
    int[] meta = s.cacheMeta;
    if (meta[4 * slot] != hash || meta[4 * slot + 1] != keyStatus
        || !raw.equals(s.cacheKey[slot])) {
      slot++;
      if (meta[4 * slot] != hash || meta[4 * slot + 1] != keyStatus
          || !raw.equals(s.cacheKey[slot])) {
        // replace the way used longer ago (a difference of stamps survives their wrapping)
        slot = meta[4 * slot - 2] - meta[4 * slot + 2] <= 0 ? slot - 1 : slot;
        String[] clean = sharedClean[t.ordinal()];
        int shared = (hash ^ (hash >>> 13)) & (SHARED_SLOTS - 1);
        if (clean != null && raw.equals(clean[shared])) {
          meta[4 * slot] = hash; // another thread judged it: clean, whatever the thread
          meta[4 * slot + 1] = keyStatus;
          meta[4 * slot + 3] = 0;
          s.cacheKey[slot] = raw;
        } else {
          fill(t, raw, status, hash, keyStatus, slot, s);
          if (clean != null && meta[4 * slot + 3] == 0 && s.cacheKey[slot] == raw) {
            clean[shared] = raw; // judged whole, not by screens alone: the same for every thread
          }
        }
      }
    }
    meta[4 * slot + 2] = ++s.clock;
    if (meta[4 * slot + 3] == 0) {
      return; // nearly every value: nothing matched, nothing more to load
    }
    addHits(s.cacheRules[slot], s.cacheHits[slot], s.argName, t, s);
  }

  /**
   * Whether rule {@code ri}'s chain holds. Chains that read nothing but what their first line
   * matched (CRS 932205 on the Referer, 920440 on the file name) give the same answer for the
   * same values, and their first line matches a third of ordinary requests: their answers are
   * kept in a small per-thread cache keyed by those values.
   */
  private boolean chainHolds(int ri, RequestTargets values, Scratch s) {
    Rule r = rules[ri];
    if (!chainReadsOnlyHead[ri]) {
      return r.chain().holds(r, values);
    }
    StringBuilder k = new StringBuilder();
    for (Target t : r.targets()) {
      k.append((char) ('A' + t.ordinal()));
      for (String v : values.values(t)) {
        k.append(v).append('\0');
      }
    }
    if (k.length() > CACHE_MAX_CHARS) {
      return r.chain().holds(r, values);
    }
    String key = k.toString();
    int slot = (key.hashCode() * 31 + ri) & (Scratch.CHAIN_SLOTS - 1);
    if (s.chainRule[slot] == ri + 1 && key.equals(s.chainKey[slot])) {
      return s.chainHolds[slot];
    }
    boolean holds = r.chain().holds(r, values);
    s.chainRule[slot] = ri + 1;
    s.chainKey[slot] = key;
    s.chainHolds[slot] = holds;
    return holds;
  }

  /** Judges {@code raw} afresh and keeps its matches in cache slot {@code slot}. */
  private void fill(Target t, String raw, int status, int hash, int keyStatus, int slot,
      Scratch s) {
    Found before = s.found;
    String argName = s.argName;
    String argKey = s.argKey;
    s.argName = null; // cached matches stand for the value wherever it occurs
    s.argKey = null;
    s.found = s.valueFound;
    s.found.clear();
    s.regexBudgetSpent = false;
    judgeValue(t, raw, status, s);
    s.argName = argName;
    s.argKey = argKey;
    boolean screenedOnly = s.regexBudgetSpent;
    int[] rulesHit = s.found.rules();
    Match[] hits = s.found.matches(rulesHit);
    s.cacheMeta[4 * slot] = hash;
    s.cacheMeta[4 * slot + 1] = keyStatus;
    s.cacheMeta[4 * slot + 3] = hits.length;
    // judged by screens alone, the result holds for this request only: no later value equals
    // a null key, so the slot serves this request and is refilled by the next
    s.cacheKey[slot] = screenedOnly ? null : raw;
    if (hits.length > 0) {
      // read only when the count is not zero: nearly every value matches nothing, and leaving
      // the two arrays alone spares a fill two cache lines (a stale entry is never read)
      s.cacheRules[slot] = rulesHit;
      s.cacheHits[slot] = hits;
    }
    s.found = before;
  }

  private static final int[] NO_RULES = new int[0];
  private static final Match[] NO_MATCHES = new Match[0];
  private static final Known NONE_KNOWN = new Known(NO_RULES, NO_MATCHES);

  /** Per-thread working memory, reused from request to request; never shared. */
  private static final class Scratch {
    /** Slots per target: each target has its own region, so that varied values (search terms,
     * tracking tokens) do not evict the ones that recur (user agents, common paths). */
    static final int CACHE_SLOTS = 8192;
    final String[] cacheKey;
    /** Per slot, four ints: its key's hash and status, when it was last used, its matches. */
    final int[] cacheMeta;
    /** Counts cache uses, to stamp slots: of two ways, the one stamped earlier is replaced. */
    int clock;
    static final int CHAIN_SLOTS = 1024;
    final int[] chainRule = new int[CHAIN_SLOTS];
    final String[] chainKey = new String[CHAIN_SLOTS];
    final boolean[] chainHolds = new boolean[CHAIN_SLOTS];
    final Match[][] cacheHits;
    final int[][] cacheRules;
    /** Where matches go now: one of the three below. */
    Found found;
    final Found requestFound;
    final Found tailFound;
    final Found valueFound;
    final Found refererFound;
    /** The Referers judged last, by hash, and the matches of both their targets. */
    static final int REFERER_SLOTS = 65_536;
    final String[] refererKey = new String[REFERER_SLOTS];
    final int[] refererHash = new int[REFERER_SLOTS];
    final int[][] refererRules = new int[REFERER_SLOTS][];
    final Match[][] refererHits = new Match[REFERER_SLOTS][];
    /**
     * The name of the query argument whose value or count is being judged, or null for other
     * targets.
     */
    String argName;
    /**
     * The name of the argument whose value or name is being judged ({@link Target#ARGS},
     * {@link Target#ARGS_NAMES}), for rules that read some arguments only; else null.
     */
    String argKey;
    /** Characters RE2/J may still read for this request, and whether it ran out for the value
     * being judged. */
    int regexBudget;
    boolean regexBudgetSpent;
    /** Whether the budget ran out anywhere in this request: its line is then not cached. */
    boolean budgetSpentInRequest;
    /** The line cache: per slot a request's target, method and protocol; per slot four ints
     * (hash, status, stamp, matches); and two lists of matches, the head's and the tail's. */
    static final int LINE_SLOTS = 8192;
    /** Per slot, side by side: target, method, protocol (one cache line to compare). */
    final String[] lineKey = new String[3 * LINE_SLOTS];
    final int[] lineMeta = new int[4 * LINE_SLOTS];
    final int[][] lineRules = new int[2 * LINE_SLOTS][];
    final Match[][] lineHits = new Match[2 * LINE_SLOTS][];
    final int[] tested;
    int pass;
    /** Counts values judged; per variant group, the value and text it last judged. */
    int values;
    final int[] variantValue;
    final String[] variantText;
    final String[] node;
    /**
     * Per value: the text scanned for each group of equal leaf texts, every instance met, each
     * leaf's group (see group()), and which groups are replayed.
     */
    final String[] scanned;
    final String[] instances;
    final int[] groupOf;
    final boolean[] replayed;
    /** Per group, the literals its scans found: plain at 2g, folded at 2g + 1 ([n, hits]). */
    final int[][] kept;
    /** Per node, the text last lower-cased and its lower case. */
    final String[] lowerOf;
    final String[] lowered;
    final long[] lo;
    final long[] hi;
    /** The characters of the value being hashed ({@link TextHash}). */
    final byte[] hashBuffer = new byte[TextHash.CHUNK];
    final int[] hits;
    final int[] literalSeen;
    final int[] foldedHits;
    final int[] foldedSeen;

    Scratch(int rules, int nodes, int literals, int foldedLiterals, int regions) {
      cacheKey = new String[regions * CACHE_SLOTS];
      cacheMeta = new int[4 * regions * CACHE_SLOTS];
      cacheHits = new Match[regions * CACHE_SLOTS][];
      cacheRules = new int[regions * CACHE_SLOTS][];
      hits = new int[literals];
      literalSeen = new int[literals];
      foldedHits = new int[foldedLiterals];
      foldedSeen = new int[foldedLiterals];
      tested = new int[rules];
      variantValue = new int[rules];
      variantText = new String[rules];
      requestFound = new Found(rules);
      tailFound = new Found(rules);
      valueFound = new Found(rules);
      refererFound = new Found(rules);
      node = new String[nodes];
      scanned = new String[nodes];
      instances = new String[nodes];
      groupOf = new int[nodes];
      replayed = new boolean[nodes];
      kept = new int[2 * nodes][];
      lowerOf = new String[nodes];
      lowered = new String[nodes];
      lo = new long[nodes];
      hi = new long[nodes];
    }
  }

  private void judgeValue(Target t, String raw, int status, Scratch s) {
    s.values++;
    String[] node = s.node;
    node[0] = raw;
    presence(raw, s, 0);
    int[] order = nodesFor[t.ordinal()];
    int[][] twins = twinsFor[t.ordinal()];
    for (int p = 0; p < order.length; p++) {
      int k = order[p];
      int parent = nodeParent[k];
      String in = node[parent];
      if ((s.lo[parent] & nodeTriggerLo[k]) == 0 && (s.hi[parent] & nodeTriggerHi[k]) == 0) {
        node[k] = in; // none of the characters this step reacts to: it would change nothing
        s.lo[k] = s.lo[parent];
        s.hi[k] = s.hi[parent];
        continue;
      }
      int twin = twinOf(twins[p], in, node);
      if (twin >= 0) {
        node[k] = node[twin];
        s.lo[k] = s.lo[twin];
        s.hi[k] = s.hi[twin];
        continue;
      }
      String out = nodeStep[k].apply(in);
      node[k] = out;
      if (out == in) {
        s.lo[k] = s.lo[parent];
        s.hi[k] = s.hi[parent];
      } else {
        presence(out, s, k);
      }
    }
    int[] leaves = leavesFor[t.ordinal()];
    int[][] always = alwaysFor[t.ordinal()];
    group(leaves, node, s);
    for (int l = 0; l < leaves.length; l++) {
      String text = node[leaves[l]];
      int g = s.groupOf[l];
      if (g >= 0) {
        scan(t, text, leaves[l], status, s, g);
      } else if (g != IDENTICAL) {
        replay(t, text, leaves[l], status, s, -g - 2);
      } // identical text: the scan of an earlier leaf ran this leaf's rules too
      for (int ri : always[l]) {
        test(ri, t, text, status, s);
      }
    }
  }

  /** The first of {@code twins} (computed for this value) whose input was {@code in}, or -1. */
  private int twinOf(int[] twins, String in, String[] node) {
    for (int j : twins) {
      if (node[nodeParent[j]] == in) {
        return j;
      }
    }
    return -1;
  }

  private static final int IDENTICAL = -1;

  /**
   * Sorts a value's leaves by text: per leaf, in {@code s.groupOf}, the index of its text among
   * the distinct ones when it is the first to hold it (to be scanned); {@link #IDENTICAL} when
   * an earlier leaf holds the same instance (its scan runs this leaf's rules too); or
   * {@code -g - 2} when an earlier leaf's text {@code g} is equal but another instance, as other
   * chains make it (argumentDecode and urlDecodeUniOnce both turn '+' into a space), or differs
   * only in case (the automata are caseless; CRS lower-cases within chains): that scan's
   * literals are then replayed for this leaf instead of scanning again. With CRS, half the
   * characters of arguments were scanned again as such copies. Marks the groups whose hits must
   * be kept for a replay.
   */
  private static void group(int[] leaves, String[] node, Scratch s) {
    String[] texts = s.scanned; // one instance per group: the one scanned
    String[] seen = s.instances; // every instance met, in order
    int groups = 0;
    int instances = 0;
    for (int l = 0; l < leaves.length; l++) {
      String text = node[leaves[l]];
      boolean met = false;
      for (int m = 0; m < instances && !met; m++) {
        met = seen[m] == text;
      }
      if (met) {
        s.groupOf[l] = IDENTICAL;
        continue;
      }
      seen[instances++] = text;
      int g = -1;
      for (int m = 0; m < groups && g < 0; m++) {
        g = AhoCorasick.sameFolded(texts[m], text) ? m : -1;
      }
      if (g >= 0) {
        s.groupOf[l] = -g - 2;
        s.replayed[g] = true;
      } else {
        texts[groups] = text;
        s.replayed[groups] = false;
        s.groupOf[l] = groups++;
      }
    }
  }

  /**
   * Records which ASCII characters a value holds; any character beyond ASCII sets every bit, so
   * that steps reacting to Unicode (lower-casing, no-break space) are never skipped. Without a
   * branch a character: text mixes letters (64 and up) with digits and punctuation (below), and
   * a branch on which half a character is in was mispredicted most of the time.
   */
  private static void presence(String v, Scratch s, int k) {
    long lo = 0;
    long hi = 0;
    int any = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      long bit = 1L << c; // a shift reads c's low six bits: c and c - 64 set the same bit
      long below = (c - 64) >> 31; // all ones when c < 64
      lo |= bit & below;
      hi |= bit & ~below;
      any |= c;
    }
    s.lo[k] = any < 128 ? lo : -1L;
    s.hi[k] = any < 128 ? hi : -1L;
  }

  /** Runs the rules whose prefilter literals occur in {@code text}, the value of node {@code k}. */
  private void scan(Target t, String text, int k, int status, Scratch s, int group) {
    AhoCorasick automaton = automatonFor[t.ordinal()];
    if (automaton == null) {
      return;
    }
    s.pass++;
    int n = automaton.scan(text, s.hits, s.literalSeen, s.pass);
    if (s.replayed[group]) {
      s.kept[2 * group] = keep(s.kept[2 * group], s.hits, n);
      s.kept[2 * group + 1] = keep(s.kept[2 * group + 1], s.foldedHits, 0); // none unless below
    }
    candidates(byLiteralFor[t.ordinal()], s.hits, n, t, text, status, s);
    if (!folds(text, k, status, t, s)) {
      return;
    }
    String folded = RegexLiterals.fold(text);
    if (folded != text) {
      n = foldedAutomaton.scan(folded, s.foldedHits, s.foldedSeen, s.pass);
      if (s.replayed[group]) {
        s.kept[2 * group + 1] = keep(s.kept[2 * group + 1], s.foldedHits, n);
      }
      candidates(byFoldedLiteral, s.foldedHits, n, t, text, status, s);
    }
  }

  /**
   * As {@link #scan} for a text equal to the one of {@code group}, scanned before: its
   * literals, kept then, run this leaf's candidate rules in the order a scan would.
   */
  private void replay(Target t, String text, int k, int status, Scratch s, int group) {
    if (automatonFor[t.ordinal()] == null) {
      return;
    }
    s.pass++;
    int[] plain = s.kept[2 * group];
    candidates(byLiteralFor[t.ordinal()], plain, plain[0], 1, t, text, status, s);
    if (folds(text, k, status, t, s)) {
      int[] folded = s.kept[2 * group + 1];
      candidates(byFoldedLiteral, folded, folded[0], 1, t, text, status, s);
    }
  }

  /**
   * Whether the folded literals must be looked for in {@code text}; the rules that read folded
   * text with a {@code $} in it are run here (their literals cannot be read off it).
   */
  private boolean folds(String text, int k, int status, Target t, Scratch s) {
    if (foldedAutomaton == null || ((s.lo[k] & FOLD_LO) == 0 && (s.hi[k] & FOLD_HI) == 0
        && (s.lo[k] & (1L << '$')) == 0)) {
      return false; // nothing to fold: the plain scan found the folded literals too
    }
    if ((s.lo[k] & (1L << '$')) != 0 && text.indexOf('$') >= 0) {
      for (int ri : foldedRules) {
        if (s.node[ruleNode[ri]] == text && s.tested[ri] != s.pass) {
          s.tested[ri] = s.pass;
          test(ri, t, text, status, s);
        }
      }
      return false;
    }
    return true;
  }

  /** {@code hits[0, n)} kept as {@code [n, hits...]} in {@code into}, grown as needed. */
  private static int[] keep(int[] into, int[] hits, int n) {
    int[] out = into != null && into.length > n ? into : new int[Math.max(8, n + 1)];
    out[0] = n;
    System.arraycopy(hits, 0, out, 1, n);
    return out;
  }

  private void candidates(int[][] rulesOf, int[] hits, int n, Target t, String text,
      int status, Scratch s) {
    candidates(rulesOf, hits, n, 0, t, text, status, s);
  }

  /** The candidate rules of the literals {@code hits[from, from + n)}. */
  private void candidates(int[][] rulesOf, int[] hits, int n, int from, Target t, String text,
      int status, Scratch s) {
    for (int h = from; h < from + n; h++) {
      for (int ri : rulesOf[hits[h]]) {
        if (s.node[ruleNode[ri]] == text && s.tested[ri] != s.pass) {
          s.tested[ri] = s.pass;
          test(ri, t, text, status, s);
        }
      }
    }
  }

  /**
   * The match of rule {@code r}'s pattern in {@code input}, within the request's budget of
   * RE2/J characters; null when there is none. Where the screen is sure of a match, RE2/J is not
   * asked until someone wants the fragment (the budget is charged all the same, so that what
   * later values may spend does not depend on it).
   */
  private static Match find(Rule r, Target t, Rx rx, String input, Scratch s) {
    int screened = rx.screen(input);
    if (screened == DfaScreen.NO) {
      return null;
    }
    if (s.regexBudget < input.length()) {
      s.regexBudgetSpent = true;
      s.budgetSpentInRequest = true;
      return new Match(r.id(), r.attackClass(), r.severity(), label(t, s),
          Operator.clip(input));
    }
    s.regexBudget -= input.length();
    if (screened == DfaScreen.YES) {
      return Match.located(r.id(), r.attackClass(), r.severity(), label(t, s), rx, input);
    }
    String fragment = rx.locate(input);
    return fragment == null ? null
        : new Match(r.id(), r.attackClass(), r.severity(), label(t, s), fragment);
  }

  /** Where a match was found: the target, or the query argument being judged. */
  private static String label(Target t, Scratch s) {
    return s.argName == null ? t.label() : named(t, s.argName);
  }

  /**
   * Where a match in one named value was found: {@code args:q} for an argument's value,
   * {@code args_name_counts:q} for how often its name occurs (which name was repeated),
   * {@code request_cookies:sid} for a cookie's value.
   */
  private static String named(Target t, String argName) {
    return t.label(argName);
  }

  /**
   * {@code text} lower-cased, once for all the rules that read node {@code k} and lower-case it
   * last: an attack's value is a candidate for many of them, and each lower-cased it again.
   */
  private static String lowered(int k, String text, Scratch s) {
    if (s.lowerOf[k] != text) {
      s.lowered[k] = LOWER.apply(text);
      s.lowerOf[k] = text;
    }
    return s.lowered[k];
  }

  private void test(int ri, Target t, String text, int status, Scratch s) {
    if (s.found.has(ri)) {
      return;
    }
    if ((ruleTargets[ri] & (1L << t.ordinal())) == 0) {
      return;
    }
    if (keyed && !reads(ri, t, s)) {
      return;
    }
    int[] statuses = ruleStatuses[ri];
    if (statuses != null && java.util.Arrays.binarySearch(statuses, status) < 0) {
      return;
    }
    int variant = variantOf[ri];
    if (variant >= 0) {
      String before = s.variantText[variant];
      if (s.variantValue[variant] == s.values && (before == text
          || before.length() == text.length() && before.equals(text))) {
        return; // another variant of this rule judged this text for this value: same answer
      }
      s.variantValue[variant] = s.values;
      s.variantText[variant] = text;
    }
    String input = ruleLowercase[ri] ? lowered(ruleNode[ri], text, s) : text;
    Operator op = ruleOperator[ri];
    Rule r = rules[ri];
    Match m;
    if (op instanceof Rx rx) {
      m = find(r, t, rx, input, s);
    } else {
      String fragment = op.find(input);
      m = fragment == null ? null
          : new Match(r.id(), r.attackClass(), r.severity(), label(t, s), fragment);
    }
    if (m == null) {
      return;
    }
    s.found.put(ri, m);
  }

  /**
   * Whether rule {@code ri} reads the argument being judged ({@link Scratch#argKey}): true for
   * every other target, and when no argument is known (a value judged for the cache, whose
   * matches are sorted by argument as they are used).
   */
  private boolean reads(int ri, Target t, Scratch s) {
    if (!keyed || s.argKey == null) {
      return true;
    }
    ArgumentSelector[] byRule = selectorFor[t.ordinal()];
    ArgumentSelector sel = byRule == null ? null : byRule[ri];
    return sel == null || sel.selects(s.argKey);
  }

  private Verdict verdict(Found found, Request request, String site, Scratch s) {
    found.sort();
    RequestTargets chainValues = null;
    boolean any = false;
    for (int k = 0; k < found.size(); k++) {
      int i = found.rule(k);
      if (rules[i].chain() != null) {
        if (chainValues == null) {
          chainValues = new RequestTargets(request, site);
        }
        if (!chainHolds(i, chainValues, s)) {
          found.drop(i); // the first line matched, a further condition did not
          continue;
        }
      }
      any = true;
    }
    if (!any) {
      return Verdict.CLEAN;
    }
    List<Match> matches = new ArrayList<>();
    List<Match> unscored = List.of();
    List<Verdict.Excused> excused = List.of();
    java.util.Set<String> counted = hasVariants ? new java.util.HashSet<>() : null;
    int score = 0;
    Match best = null;
    String tool = null;
    IpAddress client = null;
    String path = null;
    boolean clientParsed = false;
    for (int k = 0; k < found.size(); k++) {
      int i = found.rule(k);
      Match m = found.get(i);
      if (m == null) {
        continue;
      }
      if (allowsFor[i].length > 0) {
        if (!clientParsed) { // once a request: every match is held against every entry
          client = IpAddress.parse(request.clientIp());
          path = request.path();
          clientParsed = true;
        }
        String by = excusedBy(i, m.target(), request, path, client, site);
        if (by != null) {
          if (excused.isEmpty()) {
            excused = new ArrayList<>();
          }
          if (excused.stream().noneMatch(e -> e.match().ruleId().equals(m.ruleId()))) {
            excused.add(new Verdict.Excused(m, by)); // a multiMatch variant once
          }
          continue;
        }
      }
      if (counted != null && !counted.add(m.ruleId())) {
        continue; // a multiMatch variant of a rule already counted
      }
      if (rules[i].paranoia() > paranoia) {
        if (unscored.isEmpty()) {
          unscored = new ArrayList<>();
        }
        unscored.add(m);
        continue;
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
    if (matches.isEmpty() && unscored.isEmpty() && excused.isEmpty()) {
      return Verdict.CLEAN;
    }
    return new Verdict(score >= threshold, score, best == null ? null : best.attackClass(),
        best == null ? null : best.severity(), tool, List.copyOf(matches), List.copyOf(unscored),
        List.copyOf(excused));
  }

  /** Severity first; at equal severity an attack class beats the bare "scanner" label. */
  private static boolean stronger(Match m, Match best) {
    if (m.severity().score() != best.severity().score()) {
      return m.severity().score() > best.severity().score();
    }
    return SCANNER.equals(best.attackClass()) && !SCANNER.equals(m.attackClass());
  }

  /**
   * Where the allow-list entries that excuse a rule's match are written, or {@code null}: one
   * without a target outright; those that name arguments or the path together, when the rule no
   * longer matches with all their arguments taken out and, for the path, the path made
   * {@code /} (as CRS's target exclusions add up: a beacon's URL in {@code dl} and in
   * {@code dr} needs both; all of them are named, {@link #together}).
   */
  private String excusedBy(int ri, String where, Request request, String path,
      IpAddress client, String site) {
    Set<String> args = null;
    Set<String> cookies = null;
    Set<String> headers = null;
    boolean inPath = false;
    boolean inNames = false;
    boolean inBasename = false;
    List<Allow> scoped = null;
    for (Allow a : allowsFor[ri]) {
      if (a.covers(request, path, client, site)) {
        if (a.arg() == null && a.target() == null) {
          return a.origin();
        }
        if (scoped == null) {
          scoped = new ArrayList<>(2);
        }
        scoped.add(a);
        if (a.inCookie()) {
          if (cookies == null) {
            cookies = new HashSet<>();
          }
          cookies.add(a.arg());
          continue;
        }
        if (a.inHeader()) {
          if (headers == null) {
            headers = new HashSet<>();
          }
          headers.add(a.arg());
          continue;
        }
        if (a.inPath() || a.inNames() || a.inBasename()) {
          inPath |= a.inPath();
          inNames |= a.inNames();
          inBasename |= a.inBasename();
          continue;
        }
        if (args == null) {
          args = new HashSet<>();
        }
        args.add(a.arg());
      }
    }
    if (scoped == null || !couldExcuse(where, args, inPath, inNames, inBasename)
        && !(cookies != null && where != null && where.startsWith(IN_COOKIE)
            && excluded(cookies, where.substring(IN_COOKIE.length())))
        && !(headers != null && inHeaders(where, headers))
        || matchesWithout(rules[ri], withoutHeaders(withoutCookies(request, cookies), headers),
            args == null ? Set.of() : args, inPath, inNames, inBasename)) {
      return null;
    }
    if (scoped.size() > 1) { // named: those for the path or an argument the request has, once
      List<String> names = new RequestTargets(request).values(Target.ARGS_NAMES);
      Set<String> origins = new HashSet<>();
      List<Allow> named = scoped.stream().filter(a -> (a.target() != null
          || names.stream().anyMatch(n -> key(a.arg()).matches(ArgumentSelector.name(n))))
          && origins.add(a.origin())).toList();
      scoped = named.isEmpty() ? scoped : named;
    }
    return scoped.size() == 1 ? scoped.get(0).origin() : together(scoped);
  }

  /**
   * Whether taking these arguments (or the path) out of the request could leave a match that was
   * found in {@code where} unfound. A match found elsewhere (another argument, the User-Agent)
   * is still there without them: the rule is not run again to learn so. CRS's 941010 takes the
   * path out of its XSS rules for every plain path, and re-running each XSS match found in an
   * argument was a third of a CRS scan's extra time.
   */
  private boolean couldExcuse(String where, Set<String> args, boolean inPath, boolean inNames,
      boolean inBasename) {
    if (where == null || where.equals("uri") || where.equals("request_line")
        || where.equals("args")) { // both, or an argument not named
      return true;
    }
    if (where.equals("path")) {
      return inPath;
    }
    if (where.equals("basename")) {
      return inPath || inBasename;
    }
    if (where.equals("args_names")) {
      return args != null || inNames;
    }
    if (where.equals("query")) {
      return args != null;
    }
    if (where.startsWith("args:") && args != null) {
      return excluded(args, where.substring(5));
    }
    if (where.startsWith(COUNTED) && args != null) { // a repeated name: arg: names it too
      return excluded(args, where.substring(COUNTED.length()));
    }
    return false;
  }

  private static final String COUNTED = Target.ARGS_NAME_COUNTS.label() + ":";
  private static final String IN_COOKIE = Target.REQUEST_COOKIES.label() + ":";
  private static final String IN_HEADER = Target.REQUEST_HEADERS.label() + ":";

  /**
   * Whether a match found in {@code where} is in one of the request headers {@code names}
   * (allow entries' {@code header:} values, in lower case): the User-Agent, Referer and Host
   * are targets of their own, the other headers {@code request_headers:NAME}.
   */
  private static boolean inHeaders(String where, Set<String> names) {
    if (where == null) {
      return false;
    }
    if (Target.inReferer(where)) {
      return names.contains("referer");
    }
    return switch (where) {
      case "user_agent" -> names.contains("user-agent");
      case "host" -> names.contains("host");
      default -> where.startsWith(IN_HEADER) && names.contains(where.substring(IN_HEADER.length()));
    };
  }

  /**
   * {@code request} with the headers {@code names} (allow entries' {@code header:} values)
   * taken out, left empty where they are fields of their own, or as it is when there are none.
   */
  static Request withoutHeaders(Request request, Set<String> names) {
    if (names == null) {
      return request;
    }
    List<org.evident.log.HeaderField> others = request.otherHeaders().stream()
        .filter(h -> !names.contains(h.name())).toList();
    return new Request(request.epochMillis(), request.clientIp(),
        names.contains("host") ? "" : request.host(), request.method(), request.target(),
        request.protocol(), request.status(), request.bytes(),
        names.contains("referer") ? "" : request.referer(),
        names.contains("user-agent") ? "" : request.userAgent(),
        names.contains("x-forwarded-for") ? null : request.forwardedFor(), request.headers(),
        others);
  }

  /**
   * {@code request} with the cookies {@code names} (allow entries' {@code cookie:} values) taken
   * out of its Cookie header, or as it is when there are none.
   */
  Request withoutCookies(Request request, Set<String> names) {
    if (names == null) {
      return request;
    }
    List<org.evident.log.HeaderField> headers = new ArrayList<>();
    for (org.evident.log.HeaderField h : request.otherHeaders()) {
      if (!h.name().equals("cookie") || h.value() == null) {
        headers.add(h);
        continue;
      }
      StringBuilder kept = new StringBuilder();
      for (String pair : h.value().split(";")) {
        String p = pair.stripLeading();
        int eq = p.indexOf('=');
        if (!p.isEmpty() && !excluded(names, eq < 0 ? p : p.substring(0, eq))) {
          kept.append(kept.length() == 0 ? "" : "; ").append(p);
        }
      }
      headers.add(new org.evident.log.HeaderField("cookie", kept.toString()));
    }
    return request.withOtherHeaders(headers);
  }

  /**
   * Whether {@code args} (allow entries' {@code arg:} values, or names a request holds) take out
   * the argument named {@code rawName}: compared decoded and in any case, as
   * {@link ArgumentSelector} compares, an entry's {@code /pattern/} as a pattern.
   */
  private boolean excluded(Set<String> args, String rawName) {
    String name = ArgumentSelector.name(rawName);
    for (String a : args) {
      if (key(a).matches(name)) {
        return true;
      }
    }
    return false;
  }

  /** An entry's argument compiled; any other name (one a request holds) read as a name. */
  private ArgumentSelector.Key key(String arg) {
    ArgumentSelector.Key k = argKeys.get(arg);
    return k != null ? k : new ArgumentSelector.Key(ArgumentSelector.name(arg), null);
  }

  /**
   * The entries that excused a match together (a beacon's URL in {@code dl} and {@code dr}),
   * all named: {@code tuned.yaml, allow entries 2 and 5}, or each in full when their files differ.
   */
  static String together(List<Allow> entries) {
    String file = null;
    List<String> places = new ArrayList<>();
    for (Allow a : entries) {
      int at = a.origin().lastIndexOf(Allow.PLACE);
      String f = at < 0 ? null : a.origin().substring(0, at);
      if (f == null || file != null && !file.equals(f)) {
        return String.join(" and ", entries.stream().map(Allow::origin).toList());
      }
      file = f;
      places.add(a.origin().substring(at + Allow.PLACE.length()));
    }
    return file + ", allow entries " + String.join(", ", places.subList(0, places.size() - 1))
        + " and " + places.get(places.size() - 1);
  }

  /**
   * The query arguments (names as in the request) whose value alone trips a rule's first line:
   * which arguments an allow-list entry for the rule must name. Empty when the rule does not
   * read arguments.
   */
  Set<String> argsTripping(Rule r, Request request) {
    return tripping(r, request, Target.ARGS);
  }

  /** The names of the cookies whose values rule {@code r} (its first line) matches. */
  Set<String> cookiesTripping(Rule r, Request request) {
    return tripping(r, request, Target.REQUEST_COOKIES);
  }

  private Set<String> tripping(Rule r, Request request, Target t) {
    Set<String> out = new LinkedHashSet<>();
    if (!r.targets().contains(t)) {
      return out;
    }
    RequestTargets values = new RequestTargets(request);
    List<String> names = values.names(t);
    List<String> raws = values.values(t);
    for (int i = 0; i < raws.size(); i++) {
      String raw = raws.get(i);
      String capped = raw.length() > MAX_VALUE_CHARS ? raw.substring(0, MAX_VALUE_CHARS) : raw;
      if (!raw.isEmpty() && r.selector(t).selects(names.get(i))
          && r.operator().find(Transformations.applyAll(r.transformations(), capped)) != null) {
        out.add(names.get(i));
      }
    }
    return out;
  }

  /**
   * Whether a rule (its first line, for a chain) still matches the request with some query
   * arguments taken out of every target: the arguments, their names, the query, the URI and the
   * request line. Runs only for requests an argument allow-list entry could excuse.
   */
  boolean matchesWithout(Rule r, Request request, Set<String> args) {
    return matchesWithout(r, request, args, false, false);
  }

  /**
   * The same, and with {@code noPath} the path made {@code /} in every target as well, with
   * {@code noNames} the argument names not read ({@code ctl:ruleRemoveTargetById=...;ARGS_NAMES}
   * takes that target out, not the names from the query string).
   */
  boolean matchesWithout(Rule r, Request request, Set<String> args, boolean noPath,
      boolean noNames) {
    return matchesWithout(r, request, args, noPath, noNames, false);
  }

  /** The same, and with {@code noBasename} the path's last segment not read as a target. */
  boolean matchesWithout(Rule r, Request request, Set<String> args, boolean noPath,
      boolean noNames, boolean noBasename) {
    String target = request.target();
    int q = target == null ? -1 : target.indexOf('?');
    if (noPath && target != null) {
      target = "/" + (q >= 0 ? target.substring(q) : "");
      q = q >= 0 ? 1 : -1;
    }
    if (q >= 0 && !args.isEmpty()) {
      StringBuilder kept = new StringBuilder();
      for (String pair : target.substring(q + 1).split("&", -1)) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        if (!excluded(args, name)) {
          kept.append(kept.length() == 0 ? "" : "&").append(pair);
        }
      }
      target = target.substring(0, q) + (kept.length() == 0 ? "" : "?" + kept);
    }
    RequestTargets values = new RequestTargets(request.withTarget(target));
    for (Target t : r.targets()) {
      if (noNames && t == Target.ARGS_NAMES || noBasename && t == Target.BASENAME) {
        continue;
      }
      for (String raw : values.values(t, r.selector(t))) {
        if (raw != null && !raw.isEmpty() && r.operator().find(Transformations.applyAll(
            r.transformations(), raw.length() > MAX_VALUE_CHARS
                ? raw.substring(0, MAX_VALUE_CHARS) : raw)) != null) {
          return true;
        }
      }
    }
    return false;
  }

}
