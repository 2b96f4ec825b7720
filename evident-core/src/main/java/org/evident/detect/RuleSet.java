package org.evident.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.Predicate;
import org.evident.json.JsonTrees;
import org.evident.json.YamlTrees;
import org.evident.log.Request;
import org.evident.net.Cidr;

/**
 * A loaded set of rules with its provenance: the versions of the packs it came from and one
 * SHA-256 over every file's name and text, which reports quote so a count can be tied to the
 * exact rules that produced it. Files are Evident's YAML rule files, or OWASP CRS SecLang files
 * ({@code .conf}, with their {@code .data} word lists); {@code skipped} lists, by reason, the CRS
 * rules that cannot run on logs or are not supported yet.
 *
 * <p>{@code paranoia} and {@code threshold} are what the files set for scoring (a rule file's
 * {@code settings:}, the last one that names each winning; else CRS's crs-setup.conf or its
 * defaults), or null when none does: a command's own flags still win over them.
 * {@code detectionParanoia} likewise: the level up to which rules run without scoring above
 * {@code paranoia} (CRS's {@code tx.detection_paranoia_level}).
 */
public record RuleSet(String version, String sha256, List<Rule> rules, List<Allow> allows,
    List<String> files, Map<String, List<String>> skipped, Integer paranoia, Integer threshold,
    Integer detectionParanoia) {

  /**
   * The YAML parser, made on first use: with the trees of the rule files kept between runs
   * (RuleTreeCache in the command line) a run parses no YAML, and an ObjectMapper's first use
   * costs a cold process 80 ms (see {@link JsonTrees}).
   */
  private static final Set<String> OPERATOR_KEYS = Set.copyOf(Operators.names());
  /**
   * The keys each part of a rule file may hold. A misspelt key ({@code statuses:} for
   * {@code status:}, {@code rules:} under a rule) would otherwise be read as absent, and a rule
   * or an allow-list entry would quietly do more than its author wrote.
   */
  private static final Set<String> FILE_KEYS =
      Set.of("pack", "version", "settings", "defaults", "rules", "disable", "allow");
  private static final Set<String> SETTINGS_KEYS = 
      Set.of("paranoia", "threshold", "detection_paranoia");
  private static final Set<String> DEFAULT_KEYS =
      Set.of("class", "severity", "targets", "transforms", "paranoia");
  private static final Set<String> RULE_KEYS = Set.of("id", "class", "tool", "severity", "msg",
      "targets", "transforms", "prefilter", "status", "tags", "paranoia");
  private static final Set<String> ALLOW_KEYS = Set.of("rule", "tag", "path", "source", "site",
      "status", "arg", "target", "cookie", "header");

  /**
   * Parses and compiles rule files. Later files may disable rules of earlier ones and add
   * allow-list entries.
   *
   * @throws IllegalArgumentException naming the file and rule at fault
   */
  public static RuleSet parse(List<RuleFile> files) {
    return parse(files, pattern -> false);
  }

  /**
   * As {@link #parse(List)}, leaving the patterns that {@code compiledBefore} names to be
   * compiled when a rule first runs them: a log runs a few dozen of CRS's hundreds, and
   * compiling them all was a third of the work of loading it. Name only patterns that this same
   * build of Evident compiled (as those {@link #patterns} lists were): one that does not compile
   * is then found out when it runs, not reported when the rules load.
   */
  public static RuleSet parse(List<RuleFile> files,
      java.util.function.Predicate<String> compiledBefore) {
    return parse(files, compiledBefore, RuleSet::tree);
  }

  /**
   * As {@link #parse(List, java.util.function.Predicate)}, with each YAML file's tree from
   * {@code trees}: a caller that kept the trees of files it parsed before (a cold JVM parses
   * YAML slowly) gives them here. It must give what {@link #tree} gives for the same text.
   */
  public static RuleSet parse(List<RuleFile> files,
      java.util.function.Predicate<String> compiledBefore,
      java.util.function.Function<RuleFile, JsonNode> trees) {
    // the hash of CRS's megabyte of rules runs in the interpreter, as nothing has made the JIT
    // compile SHA-256 yet (40 ms): beside the parsing, not after it
    java.util.concurrent.CompletableFuture<String> sha256 =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> hash(files));
    List<Rule> rules = new ArrayList<>();
    List<Allow> allows = new ArrayList<>();
    Set<String> disabled = new HashSet<>();
    Map<String, String> versions = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    List<RuleFile> confs = new ArrayList<>();
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, List<String>> skipped = new java.util.TreeMap<>();
    Integer paranoia = null;
    Integer threshold = null;
    Integer detectionParanoia = null;
    for (RuleFile f : files) {
      if (f.name().endsWith(".conf")) {
        confs.add(f);
        continue;
      }
      if (f.name().endsWith(".data")) {
        data.put(f.name().substring(f.name().lastIndexOf('/') + 1), f.text());
        continue;
      }
      JsonNode root = trees.apply(f);
      if (root == null || root.isNull() || root.isMissingNode()) {
        continue;
      }
      if (!root.isObject()) {
        throw new IllegalArgumentException(f.name() + ": expected a mapping at the top level");
      }
      Supplier<String> file = () -> f.name() + ": ";
      YamlTrees.knownKeys(root, FILE_KEYS, file);
      YamlTrees.knownKeys(root.path("defaults"), DEFAULT_KEYS, () -> f.name() + ": defaults: ");
      YamlTrees.knownKeys(YamlTrees.mapping(root, "settings", file, ", e.g. settings:"
          + " {paranoia: 2, threshold: 5}"), SETTINGS_KEYS, () -> f.name() + ": settings: ");
      paranoia = setting(root, "paranoia", 1, 4, f.name(), paranoia);
      threshold = setting(root, "threshold", 1, 1000, f.name(), threshold);
      detectionParanoia = setting(root, "detection_paranoia", 1, 4, f.name(), detectionParanoia);
      if (root.hasNonNull("pack")) {
        versions.merge(root.get("pack").asText(), root.path("version").asText("unversioned"),
            (a, b) -> a.equals(b) ? a : a + "+" + b);
      }
      JsonNode defaults = root.path("defaults");
      for (JsonNode r : YamlTrees.list(root, "rules", file, " of rules, e.g. [{id: X-1,"
          + " class: sqli, targets: [args], rx: ...}]")) {
        Rule rule = rule(f.name(), r, defaults, compiledBefore);
        if (!ids.add(rule.id())) {
          throw new IllegalArgumentException(f.name() + ": rule id " + rule.id()
              + " is defined twice");
        }
        rules.add(rule);
      }
      for (JsonNode d : YamlTrees.list(root, "disable", file, " of rule ids, e.g. [EV-942900]")) {
        disabled.add(literal(d, "disable"));
      }
      int n = 0;
      for (JsonNode a : YamlTrees.list(root, "allow", file, " of entries, e.g."
          + " [{rule: EV-942100, path: ^/search}]")) {
        allows.add(allow(f.name(), a, f.name() + Allow.PLACE + ++n, null));
      }
    }
    if (!confs.isEmpty()) {
      CrsRules.Result crs = CrsRules.compile(confs, data, compiledBefore);
      String previous = null;
      for (Rule r : crs.rules()) {
        boolean variant = r.id().equals(previous); // multiMatch variants follow each other
        previous = r.id();
        if (!ids.add(r.id()) && !variant) {
          throw new IllegalArgumentException("CRS rule id " + r.id() + " is defined twice");
        }
        rules.add(r);
      }
      versions.merge("crs", crs.version().replace("crs ", ""), (a, b) -> a);
      skipped.putAll(crs.skipped());
      for (CrsRules.Exclusion e : crs.allows()) {
        allows.add(allow(e.file(), e.entry(), e.origin(), e.when()));
      }
      paranoia = paranoia != null ? paranoia : crs.paranoia();
      threshold = threshold != null ? threshold : crs.threshold();
      detectionParanoia = detectionParanoia != null ? detectionParanoia : crs.detectionParanoia();
    }
    rules.removeIf(r -> disabled.contains(r.id()));
    String version = versions.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .reduce((a, b) -> a + ", " + b).orElse("unversioned");
    return new RuleSet(version, sha256.join(), List.copyOf(rules), List.copyOf(allows),
        files.stream().map(RuleFile::name).toList(),
        java.util.Collections.unmodifiableMap(skipped), // sorted by reason: stable notes
        paranoia, threshold, detectionParanoia);
  }

  /**
   * The prefilter literals read off this set's patterns so far (by the detectors made of it),
   * by pattern. Reading them is most of the work of loading CRS (about half a second of CPU on
   * a cold JVM): a caller may keep them and hand them to {@link #reusePatternLiterals} of a
   * later set, in a later process of this same build.
   */
  public Map<String, List<String>> patternLiterals() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Rule r : rules) {
      Rx rx = Rx.of(r.operator());
      if (rx != null && rx.literalsIfRead() != null) {
        out.put(rx.regex(), rx.literalsIfRead());
      }
    }
    return out;
  }

  /**
   * The patterns of this set's rules, each compiled when the set was parsed or named then as
   * compiled before: a caller may name them to {@link #parse(List, java.util.function.Predicate)}
   * in a later process of this same build.
   */
  public Set<String> patterns() {
    Set<String> out = new LinkedHashSet<>();
    for (Rule r : rules) {
      Rx rx = Rx.of(r.operator());
      if (rx != null) {
        out.add(rx.regex());
      }
    }
    return out;
  }

  /**
   * Gives this set's patterns the literals read off the same patterns before, as
   * {@link #patternLiterals} listed them, so that detectors made of it need not read them. Only
   * lists that this build of Evident read may be given: a list that leaves out a literal a match
   * holds keeps the rule from ever running.
   */
  public void reusePatternLiterals(Map<String, List<String>> known) {
    for (Rule r : rules) {
      Rx rx = Rx.of(r.operator());
      List<String> l = rx == null ? null : known.get(rx.regex());
      if (l != null) {
        rx.reuseLiterals(l);
      }
    }
  }

  /**
   * A file's {@code settings: KEY}, a whole number from {@code min} to {@code max}, or
   * {@code previous} when the file does not set it.
   */
  private static Integer setting(JsonNode root, String key, int min, int max, String file,
      Integer previous) {
    JsonNode v = root.path("settings").get(key);
    if (v == null || v.isNull()) {
      return previous;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
      throw new IllegalArgumentException(file + ": settings: " + key + " must be a whole number"
          + " from " + min + " to " + max);
    }
    return v.asInt();
  }

  /**
   * A literal of a list that must hold text. YAML reads unquoted {@code 0x2e} as the number 46
   * and {@code 010} as 8, which would silently search for other text.
   */
  private static String literal(JsonNode p, String list) {
    if (!p.isTextual()) {
      throw new IllegalArgumentException(list + " entry " + p + " is not text; quote it (YAML"
          + " reads 0x2e, 010 or 1e3 as numbers)");
    }
    return p.asText();
  }

  private static Rule rule(String file, JsonNode r, JsonNode defaults,
      java.util.function.Predicate<String> compiledBefore) {
    String id = r.path("id").asText(null);
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(file + ": a rule has no id");
    }
    String where = file + ": rule " + id + ": ";
    try {
      YamlTrees.knownKeys(r, RULE_KEYS, OPERATOR_KEYS, "an operator", () -> "");
      String cls = text(r, defaults, "class");
      String tool = r.path("tool").asText(null);
      if (cls == null && tool == null) {
        throw new IllegalArgumentException("needs a class or a tool");
      }
      Severity severity = Severity.parse(orDefault(text(r, defaults, "severity"), "critical"));
      Set<Target> targets = new LinkedHashSet<>();
      // args:NAME, args:/PATTERN/: some query arguments only, as SecLang's ARGS:name; the same
      // for request_headers:NAME and request_cookies:NAME
      Map<Target, List<String>> argKeys = new java.util.EnumMap<>(Target.class);
      for (JsonNode t : list(r, defaults, "targets")) {
        String text = t.asText();
        int colon = text.indexOf(':');
        Target target = Target.parse(colon < 0 ? text : text.substring(0, colon));
        if (colon >= 0 && !target.selectable()) {
          throw new IllegalArgumentException("target " + text + ": only args, args_names,"
              + " request_headers, request_cookies and request_cookies_names take a name");
        }
        targets.add(target);
        argKeys.computeIfAbsent(target, k -> new ArrayList<>())
            .add(colon < 0 ? null : text.substring(colon + 1));
      }
      Map<Target, ArgumentSelector> selectors = new java.util.EnumMap<>(Target.class);
      argKeys.forEach((target, keys) -> {
        ArgumentSelector sel = ArgumentSelector.of(keys, List.of());
        if (!sel.all()) {
          selectors.put(target, sel);
        }
      });
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("has no targets");
      }
      List<Transformation> chain = new ArrayList<>();
      for (JsonNode t : list(r, defaults, "transforms")) {
        chain.add(Transformations.byName(t.asText()));
      }
      Operator op = null;
      var it = r.fields();
      while (it.hasNext()) {
        var e = it.next();
        String key = e.getKey().toLowerCase(Locale.ROOT);
        if (!OPERATOR_KEYS.contains(key)) {
          continue;
        }
        if (op != null) {
          throw new IllegalArgumentException("has more than one operator");
        }
        if (key.equals("pm") && e.getValue().isArray()) {
          List<String> phrases = new ArrayList<>();
          e.getValue().forEach(p -> phrases.add(literal(p, "pm")));
          op = Operators.phrases(phrases);
        } else {
          op = Operators.create(key, e.getValue().asText(), compiledBefore);
        }
      }
      if (op == null) {
        throw new IllegalArgumentException("has no operator (one of " + OPERATOR_KEYS + ")");
      }
      List<String> prefilter;
      if (r.has("prefilter")) {
        List<String> named = new ArrayList<>();
        r.get("prefilter").forEach(p -> named.add(literal(p, "prefilter")
            .toLowerCase(Locale.ROOT)));
        prefilter = List.copyOf(named);
      } else {
        prefilter = new RequiredLiterals(op);
      }
      Set<Integer> statuses = r.has("status") ? statuses(r.get("status")) : Set.of();
      List<String> tags = new ArrayList<>();
      r.path("tags").forEach(t -> tags.add(t.asText()));
      int paranoia = Integer.parseInt(orDefault(text(r, defaults, "paranoia"), "1"));
      if (paranoia < 1 || paranoia > 4) {
        throw new IllegalArgumentException("paranoia must be 1 to 4");
      }
      return new Rule(id, cls, severity, r.path("msg").asText(""), Set.copyOf(targets),
          List.copyOf(chain), op, prefilter, statuses, tool,
          List.copyOf(tags), paranoia, null, selectors);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + "paranoia must be a number from 1 to 4");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage());
    }
  }

  /**
   * @param origin where the entry is written, for explain ({@link Allow#origin})
   * @param when what else the request must meet ({@link Allow#when}), or null
   */
  private static Allow allow(String file, JsonNode a, String origin,
      Predicate<Request> when) {
    // an entry read as having no conditions excuses every rule everywhere: never by mistake
    if (!a.isObject() || a.isEmpty() && when == null) {
      throw new IllegalArgumentException(file + ": allow entry " + JsonTrees.write(a)
          + " names no condition; write a mapping such as {rule: EV-942100, path: '^/search'}");
    }
    YamlTrees.knownKeys(a, ALLOW_KEYS, () -> file + ": allow entry " + JsonTrees.write(a) + ": ");
    String target = a.path("target").asText(null);
    if (target != null && (!Set.of("path", "basename", "args_names").contains(target)
        || a.has("arg") || a.has("cookie") || a.has("header"))) {
      throw new IllegalArgumentException(file + ": allow entry " + JsonTrees.write(a)
          + ": target can only be path, basename or args_names (for a query argument, write"
          + " arg: NAME instead)");
    }
    if ((a.has("cookie") ? 1 : 0) + (a.has("arg") ? 1 : 0) + (a.has("header") ? 1 : 0) > 1) {
      throw new IllegalArgumentException(file + ": allow entry " + JsonTrees.write(a)
          + ": name one argument, cookie or header, not several (write an entry for each)");
    }
    String name = a.hasNonNull("cookie") ? a.get("cookie").asText()
        : a.hasNonNull("header") ? a.get("header").asText().strip().toLowerCase(Locale.ROOT)
        : a.path("arg").asText(null);
    if (a.hasNonNull("cookie")) {
      target = Target.REQUEST_COOKIES.label();
    } else if (a.hasNonNull("header")) {
      if (!org.evident.log.HeaderField.isName(name)) {
        throw new IllegalArgumentException(file + ": allow entry " + JsonTrees.write(a)
            + ": '" + name + "' is not a header name");
      }
      target = Target.REQUEST_HEADERS.label();
    }
    try {
      if (name != null) {
        ArgumentSelector.Key.parse(name); // a pattern must compile
      }
      return new Allow(a.path("rule").asText(null), a.path("tag").asText(null),
          a.hasNonNull("path") ? Pattern.compile(a.get("path").asText()) : null,
          a.hasNonNull("source") ? Cidr.parse(a.get("source").asText()) : null,
          a.path("site").asText(null), a.has("status") ? statuses(a.get("status")) : null,
          name, target == null ? null : Target.parse(target), origin,
          when);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": bad allow entry " + JsonTrees.write(a) + ": "
          + e.getMessage());
    }
  }

  /**
   * A rule's or an allow entry's {@code status}: response codes ({@code 304}) and classes
   * ({@code 2xx}), one or a list; anything else is refused, not read as no status.
   */
  private static Set<Integer> statuses(JsonNode node) {
    Set<Integer> out = new HashSet<>();
    for (JsonNode s : node.isArray() ? node : List.of(node)) {
      String v = s.asText().trim().toLowerCase(Locale.ROOT);
      boolean known = v.length() == 3 && v.charAt(0) >= '1' && v.charAt(0) <= '5';
      if (known && v.endsWith("xx")) {
        int base = (v.charAt(0) - '0') * 100;
        for (int c = base; c < base + 100; c++) {
          out.add(c);
        }
      } else if (known && v.chars().skip(1).allMatch(c -> c >= '0' && c <= '9')) {
        out.add(Integer.parseInt(v));
      } else {
        throw new IllegalArgumentException("status '" + s.asText() + "' is not a response code"
            + " (304) or class (2xx)");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("status names no response code");
    }
    return Set.copyOf(out);
  }

  /** Refuses a key of {@code node} not among those known; {@code where} prefixes the message. */
  private static String text(JsonNode r, JsonNode defaults, String key) {
    JsonNode v = r.has(key) ? r.get(key) : defaults.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String orDefault(String v, String d) {
    return v == null ? d : v;
  }

  private static JsonNode list(JsonNode r, JsonNode defaults, String key) {
    JsonNode v = r.has(key) ? r.get(key) : defaults.path(key);
    if (v.isTextual()) {
      ArrayNode one = JsonTrees.array();
      for (String s : v.asText().split("[,\\s]+")) {
        if (!s.isEmpty()) {
          one.add(s);
        }
      }
      return one;
    }
    return v;
  }

  /**
   * A YAML rule file as a tree, as {@link #parse(List)} reads it.
   *
   * @throws IllegalArgumentException naming the file, when it is not valid YAML
   */
  public static JsonNode tree(RuleFile f) {
    try {
      return YamlTrees.read(f.text());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(f.name() + ": " + e.getMessage());
    }
  }

  private static String hash(List<RuleFile> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      files.stream().sorted(Comparator.comparing(RuleFile::name)).forEach(f -> {
        md.update(f.name().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(f.text().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      });
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
