package org.evident.detect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.evident.json.JsonTrees;
import org.evident.log.Request;

/**
 * Compiles OWASP CRS rule files (SecLang) into Evident's rule model. What a web log holds is
 * the request line, the User-Agent, the Referer and the Host, and any other header its format
 * logs (cookies among them); rules that look only at anything else (bodies, uploaded files,
 * responses, counts of headers or arguments) cannot run on logs and are reported as skipped with
 * the reason, as are constructs not supported yet. Flow control (paranoia gating with
 * skipAfter, anomaly-score bookkeeping with setvar) is replaced by Evident's own paranoia filter
 * and scoring, which follow CRS's levels and weights.
 */
final class CrsRules {
  /** What compiling gave: rules, and every rule left out by reason. */
  /**
   * @param paranoia the paranoia level the files set ({@code tx.blocking_paranoia_level}, in CRS
   *     3 {@code tx.paranoia_level}: crs-setup.conf's, else 901's default), or null
   * @param threshold the inbound anomaly score threshold they set, or null
   * @param detectionParanoia the level up to which rules run unscored
   *     ({@code tx.detection_paranoia_level}, in CRS 3 {@code tx.executing_paranoia_level}), or
   *     null when the files leave it at 901's default, the paranoia level
   */
  /**
   * @param allows the allow entries a site's exclusions amount to, as a rule file's
   *     {@code allow:} would hold them
   */
  record Result(List<Rule> rules, Map<String, List<String>> skipped, String version,
      Integer paranoia, Integer threshold, Integer detectionParanoia, List<Exclusion> allows) {}

  /**
   * An allow entry made of a site's exclusion.
   *
   * @param origin where it is written, for explain: the file and the rule's id or the line
   * @param when what else a request must meet ({@link Allow#when}), or null
   */
  record Exclusion(String file, String origin,
      ObjectNode entry, Predicate<Request> when) {}

  /**
   * A configure-time exclusion ({@code SecRuleRemoveById}, {@code ...ByTag}, {@code ...ByMsg}),
   * where it stands in the load order: as in ModSecurity, it removes only rules defined before
   * it (CRS's RESPONSE-999 file, after the rules; in REQUEST-900, before them, it removes none).
   */
  private record Removal(int file, int index, String kind, String pattern,
      com.google.re2j.Pattern compiled) {
    /** Compiles a tag's or message's pattern once, for every rule it is tested on. */
    static Removal of(int file, int index, String kind, String pattern) {
      com.google.re2j.Pattern p = null;
      if (!kind.equals("SecRuleRemoveById")) {
        try {
          p = com.google.re2j.Pattern.compile(pattern);
        } catch (com.google.re2j.PatternSyntaxException e) {
          p = com.google.re2j.Pattern.compile(com.google.re2j.Pattern.quote(pattern));
        }
      }
      return new Removal(file, index, kind, pattern, p);
    }

    /** Whether it comes after directive {@code i} of file {@code f} in the load order. */
    boolean after(int f, int i) {
      return file > f || (file == f && index > i);
    }

    boolean removes(String id, List<String> tags, String msg) {
      return switch (kind) {
        case "SecRuleRemoveById" -> idMatches(pattern, id);
        // ModSecurity reads the tag or message given as a pattern, matched anywhere in it
        case "SecRuleRemoveByTag" -> tags.stream().anyMatch(t -> compiled.matcher(t).find());
        default -> msg != null && compiled.matcher(msg).find();
      };
    }

    /** Ids and ranges, separated by spaces or commas: {@code 942100 942200-942299}. */
    private static boolean idMatches(String list, String id) {
      long n;
      try {
        n = Long.parseLong(id);
      } catch (NumberFormatException e) {
        return false;
      }
      for (String part : list.split("[\\s,]+")) {
        int dash = part.indexOf('-');
        try {
          if (dash > 0 ? n >= Long.parseLong(part.substring(0, dash))
              && n <= Long.parseLong(part.substring(dash + 1)) : n == Long.parseLong(part)) {
            return true;
          }
        } catch (NumberFormatException e) {
          // not an id: matches nothing
        }
      }
      return false;
    }
  }

  /**
   * A {@code multiMatch} rule runs its operator after every transformation, not only the last;
   * it becomes one rule per distinct prefix of its chain, all with the same id (the detector
   * counts an id once).
   */
  static List<Rule> multiMatch(Rule r) {
    List<Rule> out = new ArrayList<>();
    List<Transformation> t = r.transformations();
    for (int k = 0; k <= t.size(); k++) {
      out.add(new Rule(r.id(), r.attackClass(), r.severity(), r.message(), r.targets(),
          List.copyOf(t.subList(0, k)), r.operator(), r.prefilter(), r.statuses(), r.tool(),
          r.tags(), r.paranoia(), r.chain(), r.selectors()));
    }
    return out;
  }

  /**
   * A rule that reads query arguments and raw targets ({@code REQUEST_URI_RAW|ARGS}) as two
   * rules of one id: ModSecurity decodes the arguments (and the path it hands as
   * {@code REQUEST_FILENAME}) once before the rule's own transformations, and leaves the URI, the
   * query and the headers as sent, so only the decoded targets' part starts with that decoding
   * ({@code %00} in the raw URI is text to CRS 930100's pattern, a NUL in an argument). The
   * detector counts an id once.
   */
  static List<Rule> byDecoding(Rule r) {
    List<Transformation> t = r.transformations();
    if (t.isEmpty() || !t.get(0).name().equals(ARGUMENT_DECODE)) {
      return List.of(r);
    }
    Set<Target> args = new java.util.LinkedHashSet<>();
    Set<Target> others = new java.util.LinkedHashSet<>();
    for (Target target : r.targets()) {
      (target == Target.ARGS || target == Target.ARGS_NAMES || target == Target.PATH ? args
          : others).add(target);
    }
    if (others.isEmpty()) {
      return List.of(r);
    }
    return List.of(
        new Rule(r.id(), r.attackClass(), r.severity(), r.message(), Set.copyOf(args), t,
            r.operator(), r.prefilter(), r.statuses(), r.tool(), r.tags(), r.paranoia(),
            r.chain(), selectorsFor(r, args)),
        new Rule(r.id(), r.attackClass(), r.severity(), r.message(), Set.copyOf(others),
            List.copyOf(t.subList(1, t.size())), r.operator(), r.prefilter(), r.statuses(),
            r.tool(), r.tags(), r.paranoia(), r.chain(), selectorsFor(r, others)));
  }

  private static Map<Target, ArgumentSelector> selectorsFor(Rule r, Set<Target> targets) {
    Map<Target, ArgumentSelector> out = new java.util.EnumMap<>(Target.class);
    r.selectors().forEach((t, sel) -> {
      if (targets.contains(t)) {
        out.put(t, sel);
      }
    });
    return out;
  }

  private static final String ARGUMENT_DECODE = UrlDecodeUni.argumentParser().name();

  private static final Pattern TX_SET = Pattern.compile(
      "^tx\\.([A-Za-z0-9_]+(?:%\\{[A-Za-z0-9_.]+\\})?)=(.*)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern MACRO = Pattern.compile("%\\{tx\\.([A-Za-z0-9_]+)\\}",
      Pattern.CASE_INSENSITIVE);

  private CrsRules() {}

  /**
   * The {@code @pmFromFile} operators of one compile, one per list of files: CRS 4 has rules
   * that read the same file (lfi-os-files.data, unix-shell.data), whose automata of thousands
   * of states were built once per rule. Rules compile in parallel, so the map is concurrent;
   * the operators are immutable, so the rules share them.
   */
  private static final class PhraseFiles {
    private final Map<String, String> data;
    private final Map<String, java.util.concurrent.FutureTask<Operator>> byFiles =
        new java.util.concurrent.ConcurrentHashMap<>();

    PhraseFiles(Map<String, String> data) {
      this.data = data;
    }

    /** The operator over {@code files}: built by the first rule that asks, awaited by others. */
    Operator operator(String files) {
      java.util.concurrent.FutureTask<Operator> task = byFiles.computeIfAbsent(files,
          k -> new java.util.concurrent.FutureTask<>(() -> Operators.phrases(phrases(k))));
      task.run(); // does nothing once it ran, or while another thread runs it
      try {
        return task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r; // a missing file: the rule is reported as not compiling
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    private List<String> phrases(String files) {
      List<String> phrases = new ArrayList<>();
      for (String file : files.split("\\s+")) {
        String text = data.get(file);
        if (text == null) {
          throw new IllegalArgumentException("data file " + file + " not found");
        }
        for (String line : SecLang.lines(text)) {
          String p = line.strip();
          if (!p.isEmpty() && !p.startsWith("#")) {
            phrases.add(p);
          }
        }
      }
      return phrases;
    }
  }

  /**
   * @param confs the .conf files' names and texts, in load order
   * @param data the .data files by name (for {@code @pmFromFile})
   * @param compiledBefore the patterns known to compile, left until first used (see
   *     {@link RuleSet#parse(List, java.util.function.Predicate)})
   */
  static Result compile(List<RuleFile> confs, Map<String, String> data,
      java.util.function.Predicate<String> compiledBefore) {
    List<Rule> rules = new ArrayList<>();
    Map<String, List<String>> skipped = new TreeMap<>();
    Map<String, String> tx = new LinkedHashMap<>();
    String version = null;
    List<List<SecLang.Directive>> parsed = new ArrayList<>();
    List<Removal> removals = new ArrayList<>();
    List<Exclusion> allows = new ArrayList<>();
    List<Narrowing> narrowings = new ArrayList<>();
    Set<String> namedTags = new java.util.HashSet<>(); // by exclusions: rules keep them
    Set<String> nameCounters = new java.util.HashSet<>(); // see nameCounts
    for (RuleFile f : confs) {
      List<SecLang.Directive> ds;
      try {
        ds = SecLang.parse(f.text());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(f.name() + ": " + e.getMessage());
      }
      parsed.add(ds);
      for (int li = 0; li < ds.size(); li++) {
        SecLang.Directive d = ds.get(li);
        if (d.name().startsWith("SecRuleRemoveBy") && !d.args().isEmpty()) {
          removals.add(Removal.of(parsed.size() - 1, li, d.name(), String.join(" ", d.args())));
        } else if (d.name().startsWith("SecRuleUpdateTargetBy") && d.args().size() >= 2) {
          targetExclusions(f.name(), d, allows, skipped, narrowings);
        }
      }
      // TX defaults set anywhere (crs-setup, 901): what %{tx.*} macros expand to
      for (SecLang.Directive d : ds) {
        nameCounter(d).ifPresent(nameCounters::add);
        if (d.name().equals("SecRuleUpdateTargetByTag") && !d.args().isEmpty()) {
          namedTags.add(d.args().get(0));
        }
        for (SecLang.Action a : d.actions()) {
          String v = a.value() == null ? "" : a.value().toLowerCase(Locale.ROOT);
          if (a.name().equalsIgnoreCase("ctl") && (v.startsWith("ruleremovebytag=")
              || v.startsWith("ruleremovetargetbytag="))) {
            namedTags.add(a.value().substring(a.value().indexOf('=') + 1).split(";")[0].strip());
          }
          if (a.name().equalsIgnoreCase("setvar") && a.value() != null) {
            Matcher m = TX_SET.matcher(a.value());
            if (m.matches() && !m.group(2).startsWith("+") && !m.group(2).startsWith("-")) {
              tx.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
          }
          if (a.name().equalsIgnoreCase("ver") && a.value() != null && version == null) {
            version = a.value().replace("OWASP_CRS/", "crs ");
          }
        }
      }
    }
    // each rule compiles on its own (patterns, phrase automata): collected in file order, compiled
    // in parallel, merged back in order, so the result is the same whatever the threads
    PhraseFiles phraseFiles = new PhraseFiles(data);
    List<java.util.function.Supplier<Compiled>> jobs = new ArrayList<>();
    for (int fi = 0; fi < confs.size(); fi++) {
      List<SecLang.Directive> ds = parsed.get(fi).stream().map(CrsRules::argCount).toList();
      // Sections a skipAfter leaves out until its marker, for the requests its condition
      // matches. CRS's application exclusion packages sit behind one that tests a switch of
      // crs-setup.conf (tx.crs_exclusions_wordpress): read here, as ModSecurity reads it. Behind
      // a test of the request (WordPress's !@contains /wp-admin/), the exclusions in the section
      // apply when that test does not hold; behind any other, they are not applied.
      Map<String, String> switchedOff = new HashMap<>(); // marker: the variable that skips it
      Map<String, List<RequestCondition>> sections = new HashMap<>(); // marker: runs when; null ?
      for (int i = 0; i < ds.size(); i++) {
        SecLang.Directive d = nameCounts(ds.get(i), nameCounters);
        if (d.name().equals("SecMarker") && !d.args().isEmpty()) {
          switchedOff.remove(d.args().get(0));
          sections.remove(d.args().get(0));
        }
        // a SecAction that takes rules out does so for every request (a plugin's, a site's)
        boolean action = d.name().equals("SecAction") && removesRules(d, List.of())
            && d.actions().stream().noneMatch(a -> a.name().toLowerCase(Locale.ROOT)
                .startsWith("skip") || a.name().equalsIgnoreCase("chain"));
        if (!d.name().equals("SecRule") && !action) {
          continue;
        }
        String off = switchedOff.values().stream().findFirst().orElse(null);
        List<RequestCondition> runsWhen = new ArrayList<>();
        for (List<RequestCondition> c : sections.values()) {
          if (c == null) {
            runsWhen = null;
            break;
          }
          runsWhen.addAll(c);
        }
        String skipTo = d.actions().stream().filter(a -> a.name().equalsIgnoreCase("skipAfter"))
            .map(SecLang.Action::value).findFirst().orElse(null);
        if (skipTo != null) {
          boolean alone = d.actions().stream().noneMatch(a -> a.name().equalsIgnoreCase("chain"));
          Boolean always = alone ? txHolds(d, tx, phraseFiles) : null;
          if (Boolean.TRUE.equals(always)) {
            switchedOff.put(skipTo, d.args().get(0).split("\\|")[0].strip()
                .replaceFirst("^&", "").toLowerCase(Locale.ROOT).replaceFirst("^tx:", "tx."));
          } else if (always == null) {
            RequestCondition skipWhen = alone ? section(d, tx, phraseFiles) : null;
            List<RequestCondition> before = sections.getOrDefault(skipTo, List.of());
            sections.put(skipTo, skipWhen == null || before == null ? null
                : java.util.stream.Stream.concat(before.stream(), java.util.stream.Stream.of(
                    skipWhen)).toList());
          }
        }
        Map<String, String> acts = new LinkedHashMap<>();
        List<String> tags = new ArrayList<>();
        List<String> transforms = new ArrayList<>();
        for (SecLang.Action a : d.actions()) {
          String n = a.name().toLowerCase(Locale.ROOT);
          switch (n) {
            case "tag" -> tags.add(a.value());
            case "t" -> transforms.add(a.value());
            default -> acts.putIfAbsent(n, a.value() == null ? "" : a.value());
          }
        }
        boolean chained = acts.containsKey("chain");
        // the rest of a chain belongs to this rule
        int j = i;
        boolean more = chained;
        while (more && j + 1 < ds.size()) {
          j++;
          more = ds.get(j).actions().stream().anyMatch(a -> a.name().equalsIgnoreCase("chain"));
        }
        String id = acts.get("id");
        if (id == null) {
          i = j;
          continue;
        }
        int at = i;
        int inFile = fi;
        Removal removed = removals.stream().filter(r -> r.after(inFile, at)
            && r.removes(id, tags, acts.get("msg"))).findFirst().orElse(null);
        if (removed != null) {
          String why = "removed by " + removed.kind() + " (site configuration)";
          jobs.add(() -> new Compiled(List.of(), Map.of(why, List.of(id))));
          i = j;
          continue;
        }
        List<SecLang.Directive> chainLines = chained ? ds.subList(i + 1, j + 1) : List.of();
        String paranoiaTag = tags.stream().filter(t -> t.startsWith("paranoia-level/"))
            .findFirst().orElse(null);
        if (paranoiaTag == null) {
          if (action || !siteDetection(d, acts, chainLines)) {
            String why = "flow control or scoring (done natively)";
            if (removesRules(d, chainLines)) {
              String file = confs.get(fi).name();
              why = off != null ? EXCLUSION + "not applied: its section is off (" + off + ")"
                  : runsWhen == null ? EXCLUSION + "not applied: in a section skipped on a"
                  + " condition not read here"
                  : exclusion(d, chainLines, runsWhen, tx, phraseFiles, file + ", rule " + id,
                      file, allows);
            }
            String reason = why;
            jobs.add(() -> new Compiled(List.of(), Map.of(reason, List.of(id))));
            i = j;
            continue;
          }
          // a site's own rule: CRS gates nothing it wrote, so it runs at every level
          paranoiaTag = "paranoia-level/1";
          if (acts.containsKey("deny") || acts.containsKey("drop")) {
            acts.putIfAbsent("severity", "critical"); // ModSecurity stops such a request
          }
        }
        String level = paranoiaTag;
        if (countsOnly(d, chainLines)) {
          // CRS 3.3's DoS counter (912150) and parameter counter (921170) count for other rules
          // and score nothing: run as detections, they would add to every request's score
          jobs.add(() -> new Compiled(List.of(),
              Map.of("counts for other rules, scores nothing", List.of(id))));
          i = j;
          continue;
        }
        SecLang.Directive headLine = d;
        List<SecLang.Directive> rest = namesItsCounters(d, chainLines, nameCounters) ? List.of()
            : chainLines;
        List<String> headTransforms = transforms;
        List<SecLang.Directive> gated = chained && readsOnlyTx(d) ? headFirst(chainLines) : null;
        if (gated != null) {
          // a rule switched on or off in the configuration (920650 by
          // tx.allow_method_override_parameter): decided once on the files' values, as
          // ModSecurity decides it on every request; the rest of its chain is the rule
          Boolean on = txHolds(d, tx, phraseFiles);
          if (on != Boolean.TRUE) {
            String why = on == Boolean.FALSE ? "off in this configuration ("
                + txNames(d) + ")" : "switched by a value not known before the request ("
                + txNames(d) + ")";
            jobs.add(() -> new Compiled(List.of(), Map.of(why, List.of(id))));
            i = j;
            continue;
          }
          headLine = gated.get(0);
          rest = gated.subList(1, gated.size());
          headTransforms = headLine.actions().stream()
              .filter(a -> a.name().equalsIgnoreCase("t") && a.value() != null)
              .map(SecLang.Action::value).toList();
        }
        List<SecLang.Directive> rare = headerLineFirst(headLine, rest);
        if (rare != null) {
          headLine = rare.get(0);
          rest = rare.subList(1, rare.size());
          headTransforms = headLine.actions().stream()
              .filter(a -> a.name().equalsIgnoreCase("t") && a.value() != null)
              .map(SecLang.Action::value).toList();
        }
        SecLang.Directive first = notSent(headLine);
        List<SecLang.Directive> further = rest;
        List<String> firstTransforms = headTransforms;
        jobs.add(() -> {
          Map<String, List<String>> own = new TreeMap<>();
          try {
            Rule r = rule(first, id, acts, tags, firstTransforms, level, tx, phraseFiles, own,
                further, first.actions(), compiledBefore, namedTags);
            List<Rule> out = new ArrayList<>();
            for (Rule part : r == null ? List.<Rule>of() : byDecoding(r)) {
              out.addAll(acts.containsKey("multimatch") ? multiMatch(part) : List.of(part));
            }
            return new Compiled(out, own);
          } catch (IllegalArgumentException e) {
            skip(own, "does not compile here (" + shorten(e.getMessage()) + ")", id);
            return new Compiled(List.of(), own);
          }
        });
        i = j;
      }
    }
    for (Compiled c : jobs.parallelStream().map(java.util.function.Supplier::get).toList()) {
      rules.addAll(c.rules());
      c.skipped().forEach((reason, ids) -> skipped.computeIfAbsent(reason,
          k -> new ArrayList<>()).addAll(ids));
    }
    if (!narrowings.isEmpty()) {
      rules.replaceAll(r -> narrowed(r, narrowings));
    }
    return new Result(rules, skipped, version != null ? version : "crs unversioned",
        number(tx.getOrDefault("blocking_paranoia_level", tx.get("paranoia_level"))),
        number(tx.get("inbound_anomaly_score_threshold")),
        number(tx.getOrDefault("detection_paranoia_level", tx.get("executing_paranoia_level"))),
        List.copyOf(allows));
  }

  /**
   * {@code SecRuleUpdateTargetById 942100 "!ARGS:password"} (or {@code ...ByTag}): the rules no
   * longer look at that argument, which is what an allow entry with {@code arg:} does;
   * {@code !REQUEST_FILENAME} is one with {@code target: path}. Exclusions of what a log does
   * not hold (bodies) change nothing here; an argument named by a pattern
   * ({@code !ARGS:/^json\./}) is an entry with {@code arg: /^json\./}. A cookie or header left
   * out ({@code !REQUEST_COOKIES:/^_ga/}, CRS 999's for analytics cookies) narrows the rules
   * themselves ({@link Narrowing}).
   */
  private static void targetExclusions(String file, SecLang.Directive d,
      List<Exclusion> allows, Map<String, List<String>> skipped, List<Narrowing> narrowings) {
    String what = d.args().get(0);
    boolean byTag = d.name().equals("SecRuleUpdateTargetByTag");
    if (!byTag && !d.name().equals("SecRuleUpdateTargetById")) {
      skip(skipped, "site configuration not applied (" + d.name() + ")", what);
      return;
    }
    for (String target : d.args().get(1).split("\\|")) {
      String t = target.strip();
      if (!t.startsWith("!")) {
        skip(skipped, "site configuration not applied (a target added, not excluded)", what);
        continue;
      }
      String name = t.substring(1);
      String upper = name.toUpperCase(Locale.ROOT);
      ObjectNode entry = JsonTrees.object();
      if (upper.startsWith("ARGS:") || upper.startsWith("ARGS_GET:")) {
        entry.put("arg", name.substring(name.indexOf(':') + 1));
      } else if (upper.equals("REQUEST_FILENAME")) {
        entry.put("target", "path");
      } else if (upper.equals("REQUEST_BASENAME")) {
        entry.put("target", "basename");
      } else if (upper.equals("ARGS_NAMES") || upper.equals("ARGS_GET_NAMES")) {
        entry.put("target", "args_names");
      } else {
        int colon = name.indexOf(':');
        Target narrowed = colon < 0 ? null
            : keyedTarget(upper.substring(0, colon), name.substring(colon + 1));
        if (narrowed != null && narrowed != Target.ARGS && narrowed != Target.ARGS_NAMES) {
          for (String one : byTag ? List.of(what) : List.of(what.split("[\\s,]+"))) {
            narrowings.add(new Narrowing(byTag ? null : one, byTag ? one : null, narrowed,
                name.substring(colon + 1)));
          }
        }
        continue; // bodies, whole headers: nothing a log holds, nothing to exclude
      }
      for (String one : byTag ? List.of(what) : List.of(what.split("[\\s,]+"))) {
        if (!byTag && one.contains("-")) {
          skip(skipped, "site configuration not applied (an id range in SecRuleUpdateTargetById)",
              one);
          continue;
        }
        ObjectNode e = entry.deepCopy();
        e.put(byTag ? "tag" : "rule", one);
        allows.add(new Exclusion(file, file + ", line " + d.line(), e, null));
      }
    }
  }

  /**
   * A cookie or header that rules by id or tag no longer read
   * ({@code SecRuleUpdateTargetById 942420 "!REQUEST_COOKIES:__gpi"}).
   *
   * @param rule the rule's id, or null
   * @param tag the rules' tag, or null
   * @param target what it narrows: {@link Target#REQUEST_COOKIES} and the like
   * @param key the name or {@code /pattern/} left out
   */
  private record Narrowing(String rule, String tag, Target target, String key) {}

  /** {@code r} with the cookies and headers {@code narrowings} leave out of it left out. */
  private static Rule narrowed(Rule r, List<Narrowing> narrowings) {
    Map<Target, ArgumentSelector> selectors = null;
    for (Narrowing n : narrowings) {
      if (!r.targets().contains(n.target())
          || !(r.id().equals(n.rule()) || n.tag() != null && r.tags().contains(n.tag()))) {
        continue;
      }
      if (selectors == null) {
        selectors = new java.util.EnumMap<>(Target.class);
        selectors.putAll(r.selectors());
      }
      ArgumentSelector sel = r.selector(n.target());
      List<ArgumentSelector.Key> except = new ArrayList<>(sel.except());
      except.add(ArgumentSelector.Key.parse(n.key()));
      selectors.put(n.target(), new ArgumentSelector(sel.only(), except));
      r = new Rule(r.id(), r.attackClass(), r.severity(), r.message(), r.targets(),
          r.transformations(), r.operator(), r.prefilter(), r.statuses(), r.tool(), r.tags(),
          r.paranoia(), r.chain(), selectors);
    }
    return r;
  }

  /** What a TX-only skip reads of the paranoia level, which {@code --paranoia} may change. */
  private static final Set<String> PARANOIA = Set.of("paranoia_level", "blocking_paranoia_level",
      "detection_paranoia_level", "executing_paranoia_level");

  /**
   * Whether a line that reads only transaction variables holds, decided on the values the files
   * set, as ModSecurity would on every request: for a skip, whether it always skips. CRS's
   * application packages open with
   * {@code SecRule &TX:crs_exclusions_x|TX:crs_exclusions_x "@eq 0" "...skipAfter:..."}, which
   * skips unless crs-setup.conf switches the package on; its sampling section with
   * {@code TX:sampling_percentage "@eq 100"}. The paranoia gate {@code "@lt 1"} never skips.
   * Null when it reads anything else, a value left to a macro, or the paranoia level otherwise
   * (detections are gated by level natively; an exclusion behind such a gate is not applied).
   */
  private static Boolean txHolds(SecLang.Directive d, Map<String, String> tx,
      PhraseFiles phraseFiles) {
    String opText = d.args().size() > 1 ? d.args().get(1).strip() : "";
    List<String> values = new ArrayList<>();
    for (String v : d.args().get(0).split("\\|")) {
      String n = v.strip();
      boolean count = n.startsWith("&");
      n = (count ? n.substring(1) : n).toLowerCase(Locale.ROOT);
      if (!n.startsWith("tx:") || !n.substring(3).matches("[a-z0-9_]+")) {
        return null;
      }
      String name = n.substring(3);
      if (PARANOIA.contains(name)) {
        return opText.equals("@lt 1") ? Boolean.FALSE : null;
      }
      String value = tx.get(name);
      if (value != null && value.contains("%{")) {
        return null;
      }
      if (count || value != null) {
        values.add(count ? (value == null ? "0" : "1") : value.strip());
      }
    }
    try {
      Operator op = operator(opText, tx, phraseFiles, null, new TreeMap<>(), false, p -> false);
      List<Transformation> ts = transformations(d);
      return values.stream().anyMatch(v -> op.find(Transformations.applyAll(ts, v)) != null);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The transaction variables a line reads, as {@code tx.name}, for a reason a rule is off. */
  private static String txNames(SecLang.Directive d) {
    return String.join(", ", java.util.Arrays.stream(d.args().get(0).split("\\|"))
        .map(v -> v.strip().replaceFirst("^[!&]+", "").toLowerCase(Locale.ROOT)
            .replaceFirst("^tx:", "tx."))
        .distinct().toList());
  }

  /**
   * The lines of a chain in the order Evident runs them: the first one that reads the request
   * with an operator known before it (no {@code %{ARGS.x}} macro) leads, as a rule's first line
   * must. A chain is an "and" of its lines, so order does not change what it matches, unless a
   * line reads what the one before it matched ({@code MATCHED_VAR}, captures): then the order is
   * kept, and null when the first line cannot lead. Null too when a line reads only what a log
   * does not hold (a response body): such a rule is left out for that, whatever gates it.
   */
  private static List<SecLang.Directive> headFirst(List<SecLang.Directive> lines) {
    int lead = -1;
    boolean readsBefore = false;
    for (int k = 0; k < lines.size(); k++) {
      SecLang.Directive l = lines.get(k);
      String vars = l.args().get(0).toUpperCase(Locale.ROOT);
      boolean special = vars.contains("MATCHED_VAR") || vars.matches("(?s).*\\bTX:[0-9].*");
      readsBefore |= special && k > 0;
      if (!special && !readsOnlyTx(l) && targetsOf(l).isEmpty()) {
        return null;
      }
      boolean macro = l.args().size() > 1
          && l.args().get(1).replaceAll("(?i)%\\{tx\\.[a-z0-9_]+\\}", "").contains("%{");
      if (lead < 0 && !special && !macro && !readsOnlyTx(l) && !targetsOf(l).isEmpty()) {
        lead = k;
      }
    }
    if (lead == 0) {
      return lines;
    }
    if (lead < 0 || readsBefore) {
      return null;
    }
    List<SecLang.Directive> out = new ArrayList<>(lines);
    out.add(0, out.remove(lead));
    return out;
  }

  /**
   * A chain whose first line reads only the method or the protocol, and which has a line on a
   * header other than the User-Agent, Referer and Host (its value, or whether it was sent:
   * {@code &REQUEST_HEADERS:Content-Length "@eq 0"}, {@link #notSent}), as one led by that
   * line; null to keep the order. The first line matches nearly every request (920180: a
   * protocol other than HTTP/2; 920170: a GET), and its chain then ran for each; the header
   * line holds only where a log holds the header, which most do not. The order of an "and" does
   * not change what it matches, so the order is kept when a line reads what another matched
   * ({@code MATCHED_VAR}, captures) or a request macro.
   */
  static List<SecLang.Directive> headerLineFirst(SecLang.Directive head,
      List<SecLang.Directive> rest) {
    if (rest.isEmpty() || !COMMON_HEADS.containsAll(targetsOf(head))) {
      return null;
    }
    int lead = -1;
    List<SecLang.Directive> lines = new ArrayList<>(rest);
    lines.add(0, head);
    for (int k = 0; k < lines.size(); k++) {
      SecLang.Directive l = lines.get(k);
      String vars = l.args().get(0).toUpperCase(Locale.ROOT);
      String op = l.args().size() > 1 ? l.args().get(1) : "";
      if (vars.contains("MATCHED_VAR") || vars.matches("(?s).*\\bTX:[0-9].*")
          || op.replaceAll("(?i)%\\{tx\\.[a-z0-9_]+\\}", "").contains("%{")) {
        return null;
      }
      Set<Target> reads = targetsOf(notSent(l));
      if (lead < 0 && !reads.isEmpty() && OTHER_HEADERS.containsAll(reads)) {
        lead = k;
      }
    }
    if (lead < 0) {
      return null;
    }
    lines.add(0, lines.remove(lead));
    return lines;
  }

  /** What nearly every request has: a chain led by it is better led by another line. */
  private static final Set<Target> COMMON_HEADS = Set.of(Target.METHOD, Target.PROTOCOL);

  /** Where a log holds only the headers its format names, as most formats name none. */
  private static final Set<Target> OTHER_HEADERS = Set.of(Target.HEADERS_NOT_SENT,
      Target.REQUEST_HEADERS, Target.REQUEST_HEADERS_NAMES, Target.REQUEST_COOKIES,
      Target.REQUEST_COOKIES_NAMES);

  private static boolean readsOnlyTx(SecLang.Directive d) {
    for (String v : d.args().get(0).split("\\|")) {
      String name = v.replaceFirst("^[!&]+", "").toUpperCase(Locale.ROOT);
      if (!(name.equals("TX") || name.startsWith("TX:"))) {
        return false;
      }
    }
    return true;
  }

  private static final String EXCLUSION = "exclusion (ctl:ruleRemove...), ";
  static final String APPLIED = EXCLUSION + "applied as allow entries";
  static final String UNHELD = EXCLUSION + "not applied: tests what a log does not hold";
  static final String NOT_APPLIED = EXCLUSION + "not applied: write allow entries instead";
  /**
   * An exclusion that takes rules out of bodies or of headers named by a pattern only: allow
   * entries name arguments, cookies, headers and the path, not these.
   */
  static final String UNNAMED = EXCLUSION
      + "not applied: takes rules out of bodies or of headers by pattern only";

  /**
   * Adds the allow entries a runtime exclusion amounts to (a site's REQUEST-900 file, CRS's
   * application packages and common exceptions) to {@code allows}, and says how it went: one of
   * {@link #APPLIED}, {@link #UNHELD}, {@link #UNNAMED}, {@link #NOT_APPLIED}. Each
   * {@code ctl:ruleRemoveById=N}
   * (or a range), {@code ...ByTag=T}, {@code ...TargetById=N;ARGS:x} and
   * {@code ...TargetByTag=T;ARGS:x} becomes an entry, for requests that meet every line of the
   * exclusion's chain and the section it stands in. A line on the path
   * ({@code REQUEST_FILENAME} by {@code @streq}, {@code @beginsWith}, {@code @endsWith},
   * {@code @contains} or {@code @rx}; {@code REQUEST_URI} by {@code @beginsWith} or
   * {@code @contains}, read on the path) or the source ({@code REMOTE_ADDR @ipMatch}) is written
   * as the entry's {@code path} or {@code source}; any other line on what a log holds (an
   * argument, its count, the method, the request line) goes to the entry's
   * {@link Allow#when} (an argument named by a pattern too). Other operators' failures: not
   * applied.
   */
  private static String exclusion(SecLang.Directive head, List<SecLang.Directive> chainLines,
      List<RequestCondition> runsWhen, Map<String, String> tx, PhraseFiles phraseFiles,
      String origin, String file, List<Exclusion> allows) {
    List<ObjectNode> places = List.of(JsonTrees.object());
    List<RequestCondition> when = new ArrayList<>(runsWhen);
    List<SecLang.Directive> chain = new ArrayList<>(chainLines);
    chain.add(0, head);
    if (head.name().equals("SecAction")) {
      chain.remove(0); // no variable, no operator: for every request
    }
    try {
      for (SecLang.Directive l : chain) {
        // a path or a source goes where an entry tests it first and cheaply (CRS's exceptions
        // for 127.0.0.1 are tested on every CRS match); one of each, the rest as conditions
        List<ObjectNode> mapped = pathOrSources(l);
        if (!mapped.isEmpty() && !places.get(0).has(mapped.get(0).fieldNames().next())) {
          List<ObjectNode> crossed = new ArrayList<>();
          for (ObjectNode p : places) {
            for (ObjectNode m : mapped) {
              crossed.add(p.deepCopy().setAll(m));
            }
          }
          places = crossed;
          continue;
        }
        RequestCondition c = condition(l, tx, phraseFiles, false);
        if (c == null) {
          return UNHELD;
        }
        when.add(c);
      }
    } catch (IllegalArgumentException e) {
      return NOT_APPLIED;
    }
    List<ObjectNode> what = new ArrayList<>();
    List<SecLang.Directive> lines = new ArrayList<>(chainLines);
    lines.add(0, head);
    for (SecLang.Directive l : lines) {
      for (SecLang.Action a : l.actions()) {
        if (!a.name().equalsIgnoreCase("ctl") || a.value() == null) {
          continue;
        }
        int eq = a.value().indexOf('=');
        String kind = eq < 0 ? "" : a.value().substring(0, eq).strip().toLowerCase(Locale.ROOT);
        if (!kind.startsWith("ruleremove") && !engineOff(a)) {
          continue;
        }
        ObjectNode e = engineOff(a) ? JsonTrees.object() // every rule, Evident's too
            : removal(kind, a.value().substring(eq + 1).strip());
        if (e == null) {
          return NOT_APPLIED;
        }
        if (e != NOTHING_LOGGED) {
          what.add(e);
        }
      }
    }
    if (what.isEmpty()) {
      return UNNAMED;
    }
    Predicate<Request> test = when.isEmpty() ? null : RequestCondition.all(when);
    for (ObjectNode place : places) {
      for (ObjectNode w : what) {
        ObjectNode e = w.deepCopy();
        e.setAll(place);
        allows.add(new Exclusion(file, origin, e, test));
      }
    }
    return APPLIED;
  }

  /**
   * The Content-Type each request body processor is switched on for, as ModSecurity's
   * recommended configuration switches them (its rules 200000 and 200001, lower case).
   */
  private static final Map<String, String> BODY_PROCESSORS = Map.of(
      "JSON", "^application/json", "XML", "(?:application(?:/soap\\+|/)|text/)xml");

  /**
   * A test of the request body processor ({@code REQBODY_PROCESSOR "@streq JSON"}: CRS 920539
   * takes 920540 out of JSON requests) as the test of the Content-Type header that switches it
   * on, which a log may hold; any other directive as it is.
   */
  static SecLang.Directive bodyProcessor(SecLang.Directive d) {
    String op = d.args().size() > 1 ? d.args().get(1).strip() : "";
    String type = op.startsWith("@streq ") ? BODY_PROCESSORS.get(op.substring(7).strip()) : null;
    if (type == null || !d.args().get(0).strip().equalsIgnoreCase("REQBODY_PROCESSOR")) {
      return d;
    }
    List<String> args = new ArrayList<>(d.args());
    args.set(0, "REQUEST_HEADERS:Content-Type");
    args.set(1, "@rx (?i)" + type);
    return new SecLang.Directive(d.name(), List.copyOf(args), d.line());
  }

  /** A removal of a header or a body, or of cookies' names: no allow entry names one. */
  private static final ObjectNode NOTHING_LOGGED = JsonTrees.object();

  /**
   * {@code ctl:ruleEngine=Off}: ModSecurity runs no rule on the request (CRS 3.3's exceptions for
   * Apache's own requests). {@code DetectionOnly} still detects, so it excuses nothing.
   */
  private static boolean engineOff(SecLang.Action ctl) {
    return ctl.value().replace(" ", "").equalsIgnoreCase("ruleEngine=Off");
  }

  /**
   * What one {@code ctl:ruleRemove...} takes out, as an allow entry's keys ({@code arg},
   * {@code cookie}, {@code target}); {@link #NOTHING_LOGGED} when it takes out a header or a body;
   * null when it cannot be written so (by message, ids as a list).
   */
  private static ObjectNode removal(String kind, String value) {
    String subject = value;
    String target = null;
    int semi = value.indexOf(';');
    if (kind.startsWith("ruleremovetarget")) {
      if (semi < 0) {
        return null;
      }
      subject = value.substring(0, semi).strip();
      target = value.substring(semi + 1).strip();
    }
    ObjectNode e = JsonTrees.object();
    switch (kind) {
      case "ruleremovebyid", "ruleremovetargetbyid" -> {
        if (!subject.matches("\\d{1,18}(?:-\\d{1,18})?")) {
          return null;
        }
        e.put("rule", subject);
      }
      case "ruleremovebytag", "ruleremovetargetbytag" -> e.put("tag", subject);
      default -> {
        return null;
      }
    }
    if (target != null) {
      String upper = target.toUpperCase(Locale.ROOT);
      if (upper.startsWith("ARGS:") || upper.startsWith("ARGS_GET:")) {
        e.put("arg", target.substring(target.indexOf(':') + 1));
      } else if (upper.equals("REQUEST_FILENAME")) {
        e.put("target", "path");
      } else if (upper.equals("ARGS_NAMES") || upper.equals("ARGS_GET_NAMES")) {
        e.put("target", "args_names");
      } else if (upper.startsWith("REQUEST_COOKIES:")) {
        e.put("cookie", target.substring(target.indexOf(':') + 1));
      } else if (upper.startsWith("REQUEST_HEADERS:")
          && org.evident.log.HeaderField.isName(target.substring(target.indexOf(':') + 1))) {
        e.put("header", target.substring(target.indexOf(':') + 1));
      } else {
        return NOTHING_LOGGED;
      }
    }
    return e;
  }

  /**
   * An exclusion's first line as allow entries' {@code path} or {@code source} (one for each
   * address block), or none when it tests anything else. Patterns RE2 does not take throw.
   */
  private static List<ObjectNode> pathOrSources(SecLang.Directive d) {
    String variable = d.args().get(0).strip().toUpperCase(Locale.ROOT);
    String opText = d.args().size() > 1 ? d.args().get(1).strip() : "";
    if (opText.startsWith("!") || opText.contains("%{")) {
      return List.of();
    }
    int sp = opText.indexOf(' ');
    String op = opText.startsWith("@") && sp > 0 ? opText.substring(1, sp).toLowerCase(Locale.ROOT)
        : opText.startsWith("@") ? opText.substring(1).toLowerCase(Locale.ROOT) : "rx";
    String arg = opText.startsWith("@") ? (sp > 0 ? opText.substring(sp + 1) : "") : opText;
    List<ObjectNode> out = new ArrayList<>();
    String q = com.google.re2j.Pattern.quote(arg);
    String path = switch (variable + " " + op.toUpperCase(Locale.ROOT)) {
      case "REQUEST_FILENAME STREQ" -> "^" + q + "$";
      case "REQUEST_FILENAME BEGINSWITH", "REQUEST_URI BEGINSWITH" -> "^" + q;
      case "REQUEST_FILENAME ENDSWITH" -> q + "$";
      case "REQUEST_FILENAME CONTAINS", "REQUEST_URI CONTAINS" -> q;
      case "REQUEST_FILENAME RX" -> arg;
      default -> null;
    };
    if (path != null && !arg.isEmpty()) {
      try {
        com.google.re2j.Pattern.compile(path);
      } catch (com.google.re2j.PatternSyntaxException e) {
        throw new IllegalArgumentException("a pattern RE2 does not take: " + e.getMessage());
      }
      ObjectNode c = JsonTrees.object();
      c.put("path", path);
      out.add(c);
    } else if (variable.equals("REMOTE_ADDR") && op.equals("ipmatch")) {
      for (String cidr : arg.split("[,\\s]+")) {
        if (!cidr.isEmpty()) {
          ObjectNode c = JsonTrees.object();
          c.put("source", cidr.contains("/") ? cidr : cidr + (cidr.contains(":") ? "/128" : "/32"));
          out.add(c);
        }
      }
    }
    return out;
  }

  /**
   * One SecRule line as a condition on the request, or null when it reads what a log does not
   * hold (bodies, transaction variables). Throws when it reads a log's
   * values in a way not compiled here (a collection narrowed with {@code !}, an argument named
   * by a pattern, an unknown operator or transformation, a macro).
   *
   * @param none the condition turned round ({@link RequestCondition#none})
   */
  private static RequestCondition condition(SecLang.Directive line, Map<String, String> tx,
      PhraseFiles phraseFiles, boolean none) {
    SecLang.Directive d = bodyProcessor(line);
    List<RequestCondition.Variable> variables = new ArrayList<>();
    for (SecLang.Variable v : d.variables()) {
      if (v.not()) {
        throw new IllegalArgumentException("a collection narrowed: !" + v.name()
            + (v.key() == null ? "" : ":" + v.key()));
      }
      boolean count = v.count();
      String name = v.name();
      String key = v.key();
      Target target = switch (name) {
        case "ARGS", "ARGS_GET" -> Target.ARGS;
        case "ARGS_NAMES", "ARGS_GET_NAMES" -> key == null ? Target.ARGS_NAMES : null;
        case "REQUEST_FILENAME" -> Target.PATH;
        case "REQUEST_URI", "REQUEST_URI_RAW" -> Target.URI;
        case "REQUEST_LINE" -> Target.REQUEST_LINE;
        case "QUERY_STRING" -> Target.QUERY;
        case "REQUEST_METHOD" -> Target.METHOD;
        case "REQUEST_PROTOCOL" -> Target.PROTOCOL;
        case "REQUEST_HEADERS" -> key == null || key.startsWith("/") ? null
            : NAMED_HEADERS.getOrDefault(key.toLowerCase(Locale.ROOT), Target.REQUEST_HEADERS);
        case "REQUEST_COOKIES" -> Target.REQUEST_COOKIES;
        case "REQUEST_COOKIES_NAMES" -> key == null ? Target.REQUEST_COOKIES_NAMES : null;
        default -> null;
      };
      if (name.equals("REMOTE_ADDR") && key == null) {
        variables.add(new RequestCondition.Variable(null, (String) null, count));
      } else if (target == null) {
        return null;
      } else {
        variables.add(new RequestCondition.Variable(target,
            target.selectable() && !target.isNames() ? key : null, count));
      }
    }
    String opText = d.args().size() > 1 ? d.args().get(1).strip() : "";
    if (opText.contains("%{")) {
      throw new IllegalArgumentException("a macro: " + opText);
    }
    List<Transformation> ts = transformations(d);
    Operator op = operator(opText, tx, phraseFiles, null, new TreeMap<>(), false, p -> false);
    return new RequestCondition(List.copyOf(variables), ts, op, none);
  }

  /**
   * A section's skip as the condition under which the rules in it run, or null when it is not
   * one a log can decide.
   */
  private static RequestCondition section(SecLang.Directive skip, Map<String, String> tx,
      PhraseFiles phraseFiles) {
    try {
      return condition(skip, tx, phraseFiles, true);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Whether a rule (its own line or its chain's) takes rules or targets out for the request
   * ({@code ctl:ruleRemoveById}, {@code ruleRemoveTargetByTag}, ..., {@code ruleEngine=Off}),
   * as CRS's application exclusion packages and a site's exclusion file do: compiled into allow
   * entries ({@link #exclusion}), and a scan says which it left out.
   */
  private static boolean removesRules(SecLang.Directive head,
      List<SecLang.Directive> chainLines) {
    List<SecLang.Directive> lines = new ArrayList<>(chainLines);
    lines.add(0, head);
    for (SecLang.Directive d : lines) {
      for (SecLang.Action a : d.actions()) {
        if (a.name().equalsIgnoreCase("ctl") && a.value() != null
            && (a.value().toLowerCase(Locale.ROOT).startsWith("ruleremove") || engineOff(a))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a rule without a paranoia tag detects, as a site's own rules do, rather than steer
   * CRS: every CRS detection carries a paranoia tag, and the untagged rest initialise, skip
   * sections, count or read the anomaly scores (TX variables only). A site's rule reads the
   * request and denies it or adds to an anomaly score; left out with CRS's, it went unnoticed.
   */
  private static boolean siteDetection(SecLang.Directive head, Map<String, String> acts,
      List<SecLang.Directive> chainLines) {
    if (acts.containsKey("skipafter") || acts.containsKey("skip")) {
      return false;
    }
    if (readsOnlyTx(head) && chainLines.stream().allMatch(CrsRules::readsOnlyTx)) {
      return false; // a head on a configuration value gates a chain that may read the request
    }
    if (acts.containsKey("deny") || acts.containsKey("drop") || acts.containsKey("block")) {
      return true;
    }
    List<SecLang.Directive> lines = new ArrayList<>(chainLines);
    lines.add(0, head);
    for (SecLang.Directive d : lines) {
      for (SecLang.Action a : d.actions()) {
        if (a.name().equalsIgnoreCase("setvar") && a.value() != null
            && a.value().toLowerCase(Locale.ROOT).contains("anomaly_score")
            && a.value().contains("=+")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a rule sets variables (on its own line or its chain's) and none of them adds to an
   * anomaly score: it counts or flags for other rules, as CRS 3.3's 912150 and 921170 do. A rule
   * that sets nothing is judged by its severity, as a site's own blocking rule would be.
   */
  private static boolean countsOnly(SecLang.Directive head, List<SecLang.Directive> chainLines) {
    List<SecLang.Directive> lines = new ArrayList<>(chainLines);
    lines.add(0, head);
    boolean sets = false;
    for (SecLang.Directive d : lines) {
      for (SecLang.Action a : d.actions()) {
        if (a.name().equalsIgnoreCase("setvar") && a.value() != null) {
          if (a.value().toLowerCase(Locale.ROOT).contains("anomaly_score")
              && a.value().contains("=+")) {
            return false;
          }
          sets = true;
        }
      }
    }
    return sets;
  }

  private static final Pattern NAME_COUNTER = Pattern.compile(
      "(?i)'?tx\\.([a-z0-9_]+)%\\{matched_var_name\\}=\\+1'?");
  private static final Pattern COUNTERS_READ = Pattern.compile("(?i)TX:/\\^?([a-z0-9_]+)\\.\\*/");

  /**
   * The prefix of the transaction variables a rule counts argument names in, as CRS's 921170
   * does ({@code SecRule ARGS_NAMES ... setvar:TX.paramcounter_%{MATCHED_VAR_NAME}=+1}), lower
   * case; empty for any other directive.
   */
  private static java.util.Optional<String> nameCounter(SecLang.Directive d) {
    if (!d.name().equals("SecRule") || d.variables().stream().anyMatch(v -> v.not() || v.count()
        || v.key() != null || !List.of("ARGS_NAMES", "ARGS_GET_NAMES").contains(v.name()))) {
      return java.util.Optional.empty();
    }
    for (SecLang.Action a : d.actions()) {
      Matcher m = a.name().equalsIgnoreCase("setvar") && a.value() != null
          ? NAME_COUNTER.matcher(a.value()) : null;
      if (m != null && m.matches()) {
        return java.util.Optional.of(m.group(1).toLowerCase(Locale.ROOT));
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * A rule that reads the counters of argument names (the transaction variables named by the
   * pattern {@code paramcounter_.*}, which CRS's 921180 against parameter pollution tests with
   * {@code "@gt 1"}) as one that reads
   * {@link Target#ARGS_NAME_COUNTS}, which holds the same numbers; any other directive as it is.
   * ModSecurity counts in a rule before, which scores nothing and is not compiled here.
   */
  static SecLang.Directive nameCounts(SecLang.Directive d, Set<String> counters) {
    if (!d.name().equals("SecRule") || d.args().isEmpty()) {
      return d;
    }
    Matcher m = COUNTERS_READ.matcher(d.args().get(0).strip());
    if (!m.matches() || !counters.contains(m.group(1).toLowerCase(Locale.ROOT))) {
      return d;
    }
    List<String> args = new ArrayList<>(d.args());
    args.set(0, COUNTS_VARIABLE);
    return new SecLang.Directive(d.name(), List.copyOf(args), d.line());
  }

  private static final Pattern HEADER_COUNT = Pattern.compile(
      "(?i)&REQUEST_HEADERS:([A-Za-z0-9_.-]+)");

  /** The tests of a header's count that say it was sent. */
  private static final Set<String> SENT = Set.of("@gt 0", "@ge 1", "!@eq 0");

  /**
   * A rule that a header was not sent ({@code &REQUEST_HEADERS:User-Agent "@eq 0"}, CRS 920320;
   * the Host, 920280; the Accept, 920300) as one that reads {@link Target#HEADERS_NOT_SENT},
   * which names the headers a log holds and the client did not send; one that it was sent
   * ({@code &REQUEST_HEADERS:Cache-Control "@gt 0"}, 920510) as one that reads
   * {@link Target#REQUEST_HEADERS_NAMES}; any other directive as it is. A log that does not hold
   * the header says neither.
   */
  static SecLang.Directive notSent(SecLang.Directive d) {
    if (!d.name().equals("SecRule") || d.args().size() < 2) {
      return d;
    }
    String op = d.args().get(1).strip();
    boolean sent = SENT.contains(op);
    if (!sent && !op.equals("@eq 0")) {
      return d;
    }
    Matcher m = HEADER_COUNT.matcher(d.args().get(0).strip());
    if (!m.matches()) {
      return d;
    }
    List<String> args = new ArrayList<>(d.args());
    args.set(0, sent ? "REQUEST_HEADERS_NAMES" : NOT_SENT_VARIABLE);
    args.set(1, "@streq " + m.group(1).toLowerCase(Locale.ROOT));
    return new SecLang.Directive(d.name(), List.copyOf(args), d.line());
  }

  /**
   * Whether a rule that reads argument-name counters ({@link #nameCounts}) is chained to lines
   * that only name the counter it matched, which hold whenever it matched: CRS 3.3's 921180
   * captures the argument's name for its message with
   * {@code SecRule MATCHED_VARS_NAMES "@rx TX:paramcounter_(.*)"}.
   */
  static boolean namesItsCounters(SecLang.Directive head, List<SecLang.Directive> chainLines,
      Set<String> counters) {
    if (chainLines.isEmpty() || head.args().isEmpty()
        || !head.args().get(0).equals(COUNTS_VARIABLE)) {
      return false;
    }
    for (SecLang.Directive l : chainLines) {
      String vars = l.args().get(0).strip().toUpperCase(Locale.ROOT);
      Matcher m = COUNTER_NAMED.matcher(l.args().size() > 1 ? l.args().get(1).strip() : "");
      if (!vars.equals("MATCHED_VARS_NAMES") && !vars.equals("MATCHED_VAR_NAME")
          || !m.matches() || !counters.contains(m.group(1).toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  private static final Pattern COUNTER_NAMED = Pattern.compile(
      "(?i)@rx \\^?TX:([a-z0-9_]+)\\(\\.\\*\\)");

  /** What {@link #notSent} reads: Evident's name, not one of ModSecurity's. */
  private static final String NOT_SENT_VARIABLE = "HEADERS_NOT_SENT";

  /** What {@link #argCount} names the count of arguments: Evident's name. */
  private static final String ARGS_COUNT_VARIABLE = "ARGS_COUNT";

  /** The counts of all arguments SecLang writes, as a query holds them. */
  private static final Set<String> ARGS_COUNTED = Set.of("&ARGS", "&ARGS_GET");

  /**
   * A line that counts the arguments ({@code &ARGS "@gt %{tx.max_num_args}"}, CRS 920380) as one
   * that reads {@link Target#ARGS_COUNT}; any other directive as it is. A count of one
   * argument by name ({@code &ARGS:id}) is left to {@link #nameCounts}' kind of rule.
   */
  static SecLang.Directive argCount(SecLang.Directive d) {
    if (!d.name().equals("SecRule") || d.args().isEmpty()
        || !ARGS_COUNTED.contains(d.args().get(0).strip().toUpperCase(Locale.ROOT))) {
      return d;
    }
    List<String> args = new ArrayList<>(d.args());
    args.set(0, ARGS_COUNT_VARIABLE);
    return new SecLang.Directive(d.name(), List.copyOf(args), d.line());
  }

  /** What {@link #nameCounts} names the counters: Evident's name, not one of ModSecurity's. */
  private static final String COUNTS_VARIABLE = "ARGS_NAME_COUNTS";

  /** A plain whole number of a TX value, or null (unset, or a macro). */
  private static Integer number(String v) {
    return v != null && v.strip().matches("\\d{1,4}") ? Integer.valueOf(v.strip()) : null;
  }

  /** One rule compiled: its rules (several for multiMatch) and why parts were left out. */
  private record Compiled(List<Rule> rules, Map<String, List<String>> skipped) {}

  private static Rule rule(SecLang.Directive d, String id, Map<String, String> acts,
      List<String> tags, List<String> transforms, String paranoiaTag, Map<String, String> tx,
      PhraseFiles phraseFiles, Map<String, List<String>> skipped,
      List<SecLang.Directive> chainedLines, List<SecLang.Action> headActions,
      java.util.function.Predicate<String> compiledBefore, Set<String> namedTags) {
    Set<Target> targets = targetsOf(d);
    if (targets.isEmpty()) {
      skip(skipped, "needs what a log does not hold (bodies, files, responses, counts)",
          id);
      return null;
    }
    Operator op = operator(d.args().size() > 1 ? d.args().get(1) : "", tx, phraseFiles, id,
        skipped,
        false, compiledBefore);
    if (op == null) {
      return null;
    }
    List<String> prefilter = op instanceof Not ? List.of() : new RequiredLiterals(op);
    List<Transformation> chain = new ArrayList<>();
    for (String t : transforms) {
      if (t.equalsIgnoreCase("none")) {
        chain.clear();
      } else {
        chain.add(transformation(t));
      }
    }
    if ((targets.contains(Target.ARGS) || targets.contains(Target.ARGS_NAMES))
        && !(op instanceof ValidateUtf8Encoding)) {
      // ModSecurity hands rules argument names and values URL-decoded once by its parser,
      // before their own transformations; a log has them as sent. @validateUtf8Encoding reads
      // the escapes itself, as bytes: decoded to text first, an invalid byte is a character
      chain.add(0, UrlDecodeUni.argumentParser());
    }
    int paranoia = Integer.parseInt(paranoiaTag.substring("paranoia-level/".length()).trim());
    Severity severity = Severity.parse(acts.getOrDefault("severity", "notice")
        .toLowerCase(Locale.ROOT));
    String cls = tags.stream().filter(t -> t.startsWith("attack-")).findFirst()
        .map(CrsRules::attackClass).orElse("generic");
    // OWASP_CRS: what an allow entry names to excuse every CRS rule in a free-text argument
    List<String> kept = tags.stream().filter(t -> t.startsWith("capec/")
        || t.startsWith("attack-") || t.startsWith("paranoia-level/")
        || t.equals(AllowProposals.FREE_TEXT_TAG) || namedTags.contains(t)).toList();
    Chain further = null;
    if (!chainedLines.isEmpty()) {
      further = chain(chainedLines, headActions, tx, phraseFiles, id, skipped,
          compiledBefore);
      if (further == null) {
        return null;
      }
    }
    // a message is the rule's, not the request's: a macro in it names what the match says
    // already ("HTTP Parameter Pollution (%{MATCHED_VAR_NAME})": where it was found)
    String msg = acts.getOrDefault("msg", "").replaceAll("\\s*\\(%\\{[^}]*\\}\\)", "");
    return new Rule(id, cls, severity, msg, Set.copyOf(targets),
        List.copyOf(chain), op, prefilter, Set.of(), null, kept,
        Math.max(1, Math.min(4, paranoia)), further, selectorsOf(d));
  }

  /** The transformations ({@code t:}) of one SecRule line, {@code t:none} clearing those before. */
  private static List<Transformation> transformations(SecLang.Directive d) {
    List<Transformation> ts = new ArrayList<>();
    for (SecLang.Action a : d.actions()) {
      if (a.name().equalsIgnoreCase("t") && a.value() != null) {
        if (a.value().equalsIgnoreCase("none")) {
          ts.clear();
        } else {
          ts.add(transformation(a.value()));
        }
      }
    }
    return List.copyOf(ts);
  }

  /**
   * A CRS transformation: decoding as ModSecurity does it, one pass (Evident's own rules decode
   * up to four times).
   */
  private static Transformation transformation(String name) {
    return name.equalsIgnoreCase("urlDecodeUni") ? UrlDecodeUni.modSecurity(true)
        : name.equalsIgnoreCase("urlDecode") ? UrlDecodeUni.modSecurity(false)
        : Transformations.byName(name);
  }

  /**
   * The operator of a SecRule, or null (reported) when it cannot run here.
   *
   * @param perRequest whether macros the configuration does not define may stay for the request
   *     to fill in (chained conditions only)
   */
  private static Operator operator(String text, Map<String, String> tx, PhraseFiles phraseFiles,
      String id, Map<String, List<String>> skipped, boolean perRequest,
      java.util.function.Predicate<String> compiledBefore) {
    String opText = text;
    boolean negated = opText.startsWith("!");
    if (negated) {
      opText = opText.substring(1);
    }
    String opName = "rx";
    String arg = opText;
    if (opText.startsWith("@")) {
      int sp = opText.indexOf(' ');
      opName = (sp < 0 ? opText.substring(1) : opText.substring(1, sp)).toLowerCase(Locale.ROOT);
      arg = sp < 0 ? "" : opText.substring(sp + 1);
    }
    arg = expand(arg, tx, perRequest);
    if (perRequest && arg.contains("%{")) {
      return new MacroOperator(opName, arg, negated);
    }
    Operator op;
    switch (opName) {
      case "pmfromfile", "pmf" -> op = phraseFiles.operator(arg.trim());
      default -> op = Operators.create(opName, arg, compiledBefore);
    }
    return negated ? new Not(op) : op;
  }

  /** The further lines of a chained rule, or null (reported) when one cannot run on logs. */
  private static Chain chain(List<SecLang.Directive> lines, List<SecLang.Action> headActions,
      Map<String, String> tx, PhraseFiles phraseFiles, String id,
      Map<String, List<String>> skipped, java.util.function.Predicate<String> compiledBefore) {
    List<Chain.Condition> conditions = new ArrayList<>();
    for (SecLang.Directive line : lines) {
      SecLang.Directive l = notSent(line); // 920180: a POST without Content-Length
      Set<Target> targets = new LinkedHashSet<>();
      String special = null;
      boolean unheld = false;
      for (String v : l.args().get(0).split("\\|")) {
        String u = v.trim().toUpperCase(Locale.ROOT);
        if (u.startsWith("!")) {
          continue;
        }
        if (u.startsWith("&")) {
          unheld = true;
        } else if (u.equals("MATCHED_VAR") || u.equals("MATCHED_VARS")) {
          special = u;
        } else if (u.startsWith("TX:") && u.substring(3).matches("[A-Z0-9_]+")) {
          special = "TX:" + u.substring(3).toLowerCase(Locale.ROOT);
        } else if (u.startsWith("TX:/") && u.endsWith(".*/")) {
          // every transaction variable whose name starts so (set by the head with a macro)
          special = "TX:" + u.substring(4, u.length() - 3).toLowerCase(Locale.ROOT) + "*";
        } else if (u.startsWith("TX:/^") && u.endsWith("/") && u.length() > 6
            && u.substring(5, u.length() - 1).matches("[A-Z0-9_]+")) {
          special = "TX:" + u.substring(5, u.length() - 1).toLowerCase(Locale.ROOT) + "*";
        } else {
          Set<Target> t = targets(v);
          if (t.isEmpty()) {
            unheld = true;
          }
          targets.addAll(t);
        }
      }
      targets.retainAll(targetsOf(l)); // less the headers it leaves out
      if (special == null && targets.isEmpty() || unheld && special == null && targets.isEmpty()) {
        skip(skipped, "chained condition on what a log does not hold", id);
        return null;
      }
      Operator op = operator(l.args().size() > 1 ? l.args().get(1) : "", tx, phraseFiles, id,
          skipped, true, compiledBefore);
      if (op == null) {
        return null;
      }
      conditions.add(new Chain.Condition(Set.copyOf(targets), special, transformations(l), op,
          selectorsOf(l)));
    }
    Map<String, String> setvars = new LinkedHashMap<>(tx);
    for (SecLang.Action a : headActions) {
      if (a.name().equalsIgnoreCase("setvar") && a.value() != null) {
        Matcher m = TX_SET.matcher(a.value());
        if (m.matches()) {
          setvars.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
      }
    }
    return new Chain(List.copyOf(conditions), setvars);
  }

  /**
   * The log targets a SecRule line reads: its variables' less the headers it leaves out
   * ({@code REQUEST_HEADERS|!REQUEST_HEADERS:Referer}, as CRS's traversal rules 930100 and
   * 930110 read every header but the Referer, which holds other sites' paths). Other
   * exclusions ({@code !ARGS:name}) narrow what a log's targets cannot: left out; counts
   * ({@code &ARGS}) are not values.
   */
  private static Set<Target> targetsOf(SecLang.Directive d) {
    Set<Target> targets = new LinkedHashSet<>();
    Set<Target> left = new java.util.HashSet<>();
    for (String v : d.args().get(0).split("\\|")) {
      String t = v.strip();
      if (t.toUpperCase(Locale.ROOT).startsWith("!REQUEST_HEADERS:")) {
        Target named = NAMED_HEADERS.get(t.substring(17).strip().toLowerCase(Locale.ROOT));
        if (named != null) {
          left.add(named); // another header left out narrows REQUEST_HEADERS: selectorsOf
        }
      } else if (!t.startsWith("!") && !t.startsWith("&")) {
        targets.addAll(targets(t));
      }
    }
    targets.removeAll(left);
    return targets;
  }

  /**
   * Which arguments, headers and cookies by name a SecRule line reads ({@code ARGS:_method},
   * {@code !ARGS_NAMES:/^json\./}, {@code REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/},
   * {@code REQUEST_HEADERS:Accept}); a target it reads whole is left out.
   */
  static Map<Target, ArgumentSelector> selectorsOf(SecLang.Directive d) {
    Map<Target, List<String>> read = new java.util.EnumMap<>(Target.class);
    Map<Target, List<String>> leftOut = new java.util.EnumMap<>(Target.class);
    for (SecLang.Variable v : d.variables()) {
      Target target = keyedTarget(v.name(), v.key());
      if (target == null || v.count() || v.not() && v.key() == null) {
        continue;
      }
      (v.not() ? leftOut : read).computeIfAbsent(target, k -> new ArrayList<>()).add(v.key());
    }
    Map<Target, ArgumentSelector> out = new java.util.EnumMap<>(Target.class);
    read.forEach((t, keys) -> {
      ArgumentSelector s = ArgumentSelector.of(keys, leftOut.getOrDefault(t, List.of()));
      if (!s.all()) {
        out.put(t, s);
      }
    });
    return out;
  }

  /** The log targets a SecLang variable maps to; empty when a log never holds it. */
  static Set<Target> targets(String variable) {
    String v = variable.trim();
    String name = v;
    String key = null;
    int colon = v.indexOf(':');
    if (colon > 0) {
      name = v.substring(0, colon);
      key = v.substring(colon + 1);
    }
    name = name.toUpperCase(Locale.ROOT);
    switch (name) {
      case "ARGS", "ARGS_GET" -> {
        return Set.of(Target.ARGS);
      }
      case "ARGS_NAMES", "ARGS_GET_NAMES" -> {
        return Set.of(Target.ARGS_NAMES);
      }
      case COUNTS_VARIABLE -> {
        return Set.of(Target.ARGS_NAME_COUNTS);
      }
      case ARGS_COUNT_VARIABLE -> {
        return Set.of(Target.ARGS_COUNT);
      }
      case "ARGS_COMBINED_SIZE" -> {
        return Set.of(Target.ARGS_COMBINED_SIZE);
      }
      case NOT_SENT_VARIABLE -> {
        return Set.of(Target.HEADERS_NOT_SENT);
      }
      case "REQUEST_URI", "REQUEST_URI_RAW" -> {
        return Set.of(Target.URI);
      }
      case "REQUEST_LINE" -> {
        return Set.of(Target.REQUEST_LINE);
      }
      case "REQUEST_FILENAME" -> {
        return Set.of(Target.PATH);
      }
      case "REQUEST_BASENAME" -> {
        return Set.of(Target.BASENAME);
      }
      case "QUERY_STRING" -> {
        return Set.of(Target.QUERY);
      }
      case "REQUEST_METHOD" -> {
        return Set.of(Target.METHOD);
      }
      case "REQUEST_PROTOCOL" -> {
        return Set.of(Target.PROTOCOL);
      }
      case "REQUEST_HEADERS" -> {
        return headerTargets(key);
      }
      case "REQUEST_HEADERS_NAMES" -> {
        return key == null ? Set.of(Target.REQUEST_HEADERS_NAMES) : Set.of();
      }
      case "REQUEST_COOKIES" -> {
        return Set.of(Target.REQUEST_COOKIES);
      }
      case "REQUEST_COOKIES_NAMES" -> {
        return Set.of(Target.REQUEST_COOKIES_NAMES);
      }
      default -> {
        return Set.of();
      }
    }
  }

  /** The headers a request names apart, by the name ModSecurity gives them in lower case. */
  private static final Map<String, Target> NAMED_HEADERS = Map.of("user-agent",
      Target.USER_AGENT, "referer", Target.REFERER, "host", Target.HOST);

  /**
   * The targets {@code REQUEST_HEADERS} reads with {@code key} (null: every header): the
   * User-Agent, Referer and Host are targets of their own, any other header is one of
   * {@link Target#REQUEST_HEADERS}, which {@link #selectorsOf} narrows to the header named. A
   * pattern ({@code /^x-/}) reads those of the three it matches as well.
   */
  static Set<Target> headerTargets(String key) {
    if (key == null) {
      return Set.of(Target.USER_AGENT, Target.REFERER, Target.HOST, Target.REQUEST_HEADERS);
    }
    ArgumentSelector.Key k = ArgumentSelector.Key.parse(key);
    if (k.name() != null) {
      return Set.of(NAMED_HEADERS.getOrDefault(k.name(), Target.REQUEST_HEADERS));
    }
    Set<Target> out = new LinkedHashSet<>();
    NAMED_HEADERS.forEach((name, t) -> {
      if (k.matches(name)) {
        out.add(t);
      }
    });
    out.add(Target.REQUEST_HEADERS);
    return out;
  }

  /**
   * The target a keyed SecLang variable's key narrows ({@code ARGS:id},
   * {@code REQUEST_COOKIES:sid}, {@code REQUEST_HEADERS:Accept}), or null: a whole target
   * ({@code REQUEST_HEADERS:User-Agent}) or none a log holds.
   */
  static Target keyedTarget(String name, String key) {
    return switch (name) {
      case "ARGS", "ARGS_GET" -> Target.ARGS;
      case "ARGS_NAMES", "ARGS_GET_NAMES" -> Target.ARGS_NAMES;
      case "REQUEST_COOKIES" -> Target.REQUEST_COOKIES;
      case "REQUEST_COOKIES_NAMES" -> Target.REQUEST_COOKIES_NAMES;
      case "REQUEST_HEADERS" -> key == null
          || !NAMED_HEADERS.containsKey(key.strip().toLowerCase(Locale.ROOT))
          ? Target.REQUEST_HEADERS : null;
      default -> null;
    };
  }

  static String attackClass(String tag) {
    return switch (tag) {
      case "attack-sqli" -> "sqli";
      case "attack-xss" -> "xss";
      case "attack-lfi" -> "traversal";
      case "attack-rfi" -> "rfi";
      case "attack-rce", "attack-injection-php" -> "cmdi";
      case "attack-reputation-scanner" -> "scanner";
      case "attack-fixation" -> "session-fixation";
      default -> tag.substring("attack-".length());
    };
  }

  private static String expand(String arg, Map<String, String> tx) {
    return expand(arg, tx, false);
  }

  private static String expand(String arg, Map<String, String> tx, boolean keepUnknown) {
    Matcher m = MACRO.matcher(arg);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v = tx.get(m.group(1).toLowerCase(Locale.ROOT));
      if (v == null && keepUnknown) {
        v = m.group();
      } else if (v == null) {
        throw new IllegalArgumentException("unknown macro " + m.group());
      }
      m.appendReplacement(b, Matcher.quoteReplacement(v));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static void skip(Map<String, List<String>> skipped, String reason, String id) {
    skipped.computeIfAbsent(reason, k -> new ArrayList<>()).add(id);
  }

  private static String shorten(String s) {
    return s == null ? "" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
