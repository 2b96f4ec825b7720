package org.evident.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.evident.detect.Allow;
import org.evident.detect.AllowProposals;
import org.evident.detect.Detector;
import org.evident.detect.RuleFile;
import org.evident.detect.RuleSet;

/**
 * Reads rule files for {@code --rules}: {@code evident} is the pack built into Evident (the files
 * under rules/ listed in rules/default.list), {@code crs} the OWASP CRS installed by the system,
 * {@code crs:DIR} a CRS folder, anything else a YAML file or a folder of them.
 * Later entries can disable rules of earlier ones and add allow-list entries.
 */
final class RuleSources {
  private RuleSources() {}

  /**
   * The built-in pack, parsed and compiled once per process: its files are inside the jar, so
   * every load gives the same immutable rule set.
   */
  private static final FutureTask<RuleSet> BUILT_IN = new FutureTask<>(() -> parseFiles(builtIn()));
  /** The built-in pack's detector as its own settings score it (no scoring flag given). */
  private static final FutureTask<Detector> BUILT_IN_DETECTOR =
      new FutureTask<>(() -> ScoringOptions.PRELOAD.detector(builtInRuleSet()));
  private static final AtomicBoolean PRELOADING = new AtomicBoolean();
  /** This build's prefilter literals from earlier runs, read once per process. */
  private static final FutureTask<PrefilterCache> PREFILTERS = new FutureTask<>(
      () -> PrefilterCache.open(org.evident.cli.geo.GeoDatabases.defaultCache()));
  /** The trees of YAML rule files that earlier runs parsed, read once per process. */
  private static final FutureTask<RuleTreeCache> TREES = new FutureTask<>(
      () -> RuleTreeCache.open(org.evident.cli.geo.GeoDatabases.defaultCache()));

  /**
   * Starts compiling the built-in pack and its detector on a thread of its own, for a command
   * that will need them. The YAML parsing and the regex and automaton building (a third of a
   * second on a cold JVM) then overlap the command line's own set-up instead of following it.
   */
  static void preloadBuiltIn() {
    if (PRELOADING.compareAndSet(false, true)) {
      preloadThread(BUILT_IN, BUILT_IN_DETECTOR);
    }
  }

  /**
   * Reads the rule tree and prefilter caches, then makes {@code rules} and {@code detector}, on a
   * daemon.
   */
  private static void preloadThread(FutureTask<RuleSet> rules, FutureTask<Detector> detector) {
    Thread t = new Thread(() -> {
      TREES.run();
      PREFILTERS.run();
      rules.run();
      detector.run();
    }, "evident-rules");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Rules other than the built-in pack that this run's arguments name, being loaded ahead (see
   * {@link #preload}); null when none were. Set anew by each command line run.
   */
  private static volatile Preload preloaded;

  /** The rule specs a preload was started for, their rule set and its detector. */
  private record Preload(List<String> specs, FutureTask<RuleSet> rules,
      FutureTask<Detector> detector) {}

  /**
   * Starts loading the rules {@code specs} names, and their detector, on a thread of its own,
   * for a command that will need them: as {@link #preloadBuiltIn} does for the built-in pack.
   * Reading and compiling CRS takes about 0.4 s on a cold JVM, and it then overlaps the command
   * line's own set-up. Whatever the command line turns out to say wins: {@link #load} uses this
   * only for the same specs. Failures are reported when the command loads its rules.
   */
  static void preload(List<String> specs) {
    if (specs.equals(List.of("evident"))) {
      preloadBuiltIn();
      return;
    }
    FutureTask<RuleSet> rules = new FutureTask<>(() -> parse(specs));
    FutureTask<Detector> detector =
        new FutureTask<>(() -> ScoringOptions.PRELOAD.detector(rules.get()));
    preloaded = new Preload(List.copyOf(specs), rules, detector);
    preloadThread(rules, detector);
  }

  /** Forgets the rules preloaded for an earlier command line run in this process. */
  static void forgetPreload() {
    preloaded = null;
  }

  /**
   * The preloaded detector when {@code rules} is what a preload loaded (the built-in pack, or
   * the specs this run named) and the preload has made (or is making) one; null otherwise. The
   * caller checks that its scoring matches.
   */
  static Detector preloadedDetector(RuleSet rules) {
    Preload p = preloaded;
    if (PRELOADING.get() && BUILT_IN.isDone() && rules == builtInRuleSet()) {
      return outcome(BUILT_IN_DETECTOR);
    }
    if (p != null && p.rules().isDone() && rules == outcome(p.rules())) {
      return outcome(p.detector());
    }
    return null;
  }

  /**
   * What a preload task made, waiting for it if needed; null when it failed (the caller then
   * makes it again, and reports what went wrong).
   */
  private static <T> T outcome(FutureTask<T> task) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return null;
    }
  }

  /** The prefilter literals this build read in earlier runs (see {@link PrefilterCache}). */
  static PrefilterCache prefilterCache() {
    return done(PREFILTERS, "the prefilter cache");
  }

  /**
   * Whether this build compiled {@code pattern} in an earlier run: it is then compiled when a
   * rule first runs it. Waits for the cache to be read, which the first pattern of a rule file
   * rarely has to: it was started beside the command's own set-up.
   */
  private static boolean compiledBefore(String pattern) {
    return prefilterCache().knows(pattern);
  }

  private static RuleSet builtInRuleSet() {
    return done(BUILT_IN, "the built-in rules");
  }

  /** What a preload task made: runs it here if the preload thread has not started it. */
  private static <T> T done(FutureTask<T> task, String what) {
    task.run(); // no-op when the preload thread has run it, or is running it
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserException("interrupted while loading " + what);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UserException said) {
        throw said;
      }
      if (e.getCause() instanceof IllegalArgumentException bad) {
        throw new UserException("bad rules: " + bad.getMessage());
      }
      throw new IllegalStateException("cannot load " + what, e.getCause());
    }
  }

  static RuleSet load(List<String> specs) {
    if (specs.equals(List.of("evident"))) {
      return builtInRuleSet();
    }
    Preload p = preloaded;
    return p != null && p.specs().equals(specs) ? done(p.rules(), "the rules") : parse(specs);
  }

  private static RuleSet parse(List<String> specs) {
    List<RuleFile> files = new ArrayList<>();
    for (String spec : specs) {
      if (spec.equals("evident")) {
        files.addAll(builtIn());
        continue;
      }
      if (spec.equals("crs") || spec.startsWith("crs:")) {
        files.addAll(crs(spec.equals("crs") ? null : Path.of(spec.substring(4))));
        continue;
      }
      Path p = Path.of(spec);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          for (Path f : s.filter(x -> x.toString().endsWith(".yaml")
              || x.toString().endsWith(".yml")).sorted().toList()) {
            files.add(read(f));
          }
        } catch (IOException e) {
          throw new UserException("cannot read rules folder " + spec + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(p)) {
        files.add(read(p));
      } else {
        throw new UserException("no rules at " + spec
            + " (use 'evident', a YAML file or a folder of them)");
      }
    }
    try {
      return parseFiles(files);
    } catch (IllegalArgumentException e) {
      throw new UserException("bad rules: " + e.getMessage());
    }
  }

  /**
   * Parses {@code files} with the YAML trees earlier runs kept (see {@link RuleTreeCache}), and
   * keeps those it parsed anew.
   */
  private static RuleSet parseFiles(List<RuleFile> files) {
    RuleTreeCache trees = done(TREES, "the rule tree cache");
    RuleSet rules = RuleSet.parse(files, RuleSources::compiledBefore, trees::tree);
    trees.keep();
    return rules;
  }

  /**
   * A line for a scan that counted attacks with CRS and nothing of the site's own: CRS at
   * paranoia level 1 flags benign free text too (search boxes: 0.7% of the real-world benign
   * requests BENCHMARKS.md measures), and a count should not carry that unsaid. {@code evident
   * tune} proposes the allow entries that take it out.
   */
  static List<String> untunedNotes(List<String> specs, long attacks) {
    boolean crs = specs.stream().anyMatch(x -> x.equals("crs") || x.startsWith("crs:"));
    boolean own = specs.stream()
        .anyMatch(x -> !x.equals("evident") && !x.equals("crs") && !x.startsWith("crs:"));
    if (!crs || own || attacks == 0) {
      return List.of();
    }
    String rules = String.join(",", specs);
    return List.of("CRS flags benign free text too (a search box's words); '" + Main.launcher()
        + " tune --rules " + rules + " LOG -o tuned.yaml' proposes allow entries for it: review"
        + " them, then scan with --rules " + rules + ",tuned.yaml");
  }

  /**
   * Where the SecLang files came from, a folder at a time with how many each gave: which CRS
   * {@code --rules crs} found, and which of a site's own files came with it (Debian's
   * /etc/modsecurity/crs). Empty when no SecLang file was loaded.
   */
  static List<String> secLangFolderNotes(RuleSet rules) {
    Map<String, Integer> byFolder = new LinkedHashMap<>();
    for (String f : rules.files()) {
      if (f.endsWith(".conf")) {
        Path parent = Path.of(f).toAbsolutePath().normalize().getParent();
        byFolder.merge(parent == null ? f : parent.toString(), 1, Integer::sum);
      }
    }
    if (byFolder.isEmpty()) {
      return List.of();
    }
    List<String> parts = new ArrayList<>();
    byFolder.forEach((folder, n) -> parts.add(folder + " (" + n + (n == 1 ? " file)" : " files)")));
    return List.of("SecLang rules read from " + String.join(", ", parts));
  }

  /** One line per reason why CRS rules were left out, for the scan's notes. */
  static List<String> skippedNotes(RuleSet rules) {
    List<String> out = new ArrayList<>();
    if (rules.skipped().isEmpty()) {
      return out;
    }
    long compiled = rules.rules().stream().map(org.evident.detect.Rule::id)
        .filter(id -> !id.startsWith("EV-")).distinct().count();
    out.add("rules " + rules.version() + ": " + compiled + " CRS rules run on logs; left out:");
    rules.skipped().forEach((reason, ids) -> out.add("  " + ids.size() + " " + reason));
    return out;
  }

  /**
   * A line for each allow entry that excuses every CRS rule somewhere (a free-text field,
   * {@code tag: OWASP_CRS}) while no other rules judge query arguments for each injection class:
   * attacks there would go uncounted, which a scan says rather than hides. The entries of one
   * file share a line (CRS's application packages hold dozens).
   */
  static List<String> unjudgedNotes(Detector detector) {
    List<String> out = new ArrayList<>();
    if (AllowProposals.backstop(detector)) {
      return out;
    }
    Map<String, List<Allow>> byFile = new LinkedHashMap<>();
    for (Allow a : detector.ruleSet().allows()) {
      // not those for one source's requests, or for whole requests that meet further
      // conditions (CRS's exceptions for Apache's own requests from the loopback address)
      boolean narrow = a.source() != null || a.arg() == null && a.when() != null;
      if (AllowProposals.FREE_TEXT_TAG.equals(a.tag()) && !narrow) {
        int at = a.origin().lastIndexOf(", ");
        byFile.computeIfAbsent(at < 0 ? a.origin() : a.origin().substring(0, at),
            k -> new ArrayList<>()).add(a);
      }
    }
    String unjudged = ", and no other rules judge query arguments for SQL injection, XSS,"
        + " command injection and traversal: attacks there are not counted (add evident to"
        + " --rules)";
    byFile.forEach((file, entries) -> {
      if (entries.size() == 1) {
        Allow a = entries.get(0);
        out.add(a.origin() + " excuses every CRS rule" + (a.arg() == null ? ""
            : " in " + a.arg()) + unjudged);
        return;
      }
      List<String> args = entries.stream().map(a -> a.arg() == null ? "whole requests"
          : a.arg()).distinct().toList();
      out.add(file + ": " + entries.size() + " entries excuse every CRS rule in "
          + String.join(", ", args.subList(0, Math.min(5, args.size())))
          + (args.size() > 5 ? " and " + (args.size() - 5) + " more" : "") + unjudged);
    });
    return out;
  }

  /**
   * The OWASP CRS files of a CRS folder, or of the CRS installed on this machine when
   * {@code dir} is null ({@link #installed}), in the order ModSecurity loads them. A folder
   * loads as CRS's install guide orders it: crs-setup.conf, the plugins' {@code *-config.conf}
   * and {@code *-before.conf}, the rules ({@code *.conf}, in name order, which is CRS's), the
   * plugins' {@code *-after.conf}. Each folder's word lists ({@code *.data}) come with it.
   */
  static List<RuleFile> crs(Path dir) {
    return dir == null ? installed(Path.of("/")) : folder(dir, null);
  }

  /** Where Debian and Ubuntu install the CRS (package modsecurity-crs), below the root. */
  static final String DEBIAN = "usr/share/modsecurity-crs";

  /**
   * Where an installed CRS is looked for, below {@code root}, after the two layouts that say
   * what to load ({@link #LOAD_FILE}, {@link #ACTIVATED}): folders holding a CRS release
   * ({@code rules/}, and {@code crs-setup.conf} where the site configured it). Debian's and
   * Ubuntu's, the CRS project's container images' (owasp/modsecurity-crs), openSUSE's, Red
   * Hat's without its activation folder, and the nginx module's RPM.
   */
  static final List<String> CRS_FOLDERS = List.of(DEBIAN,
      "opt/owasp-crs", "etc/modsecurity.d/owasp-crs", "usr/share/owasp-modsecurity-crs",
      "usr/share/mod_modsecurity_crs", "etc/nginx/modsecurity.d/coreruleset");

  /**
   * The CRS installed below {@code root} ("/" but in tests), read as its distribution has
   * ModSecurity read it: Debian's load file; else Red Hat's activation folder (the symbolic
   * links {@code mod_security_crs} makes, less those the site removed, and the site's exclusion
   * files beside them); else the first of {@link #CRS_FOLDERS} that holds a {@code rules}
   * folder.
   */
  static List<RuleFile> installed(Path root) {
    Path load = root.resolve(DEBIAN).resolve(LOAD_FILE);
    if (Files.isRegularFile(load)) {
      return byLoadFile(load);
    }
    Path activated = root.resolve(ACTIVATED);
    // not one that links CRS 2's files only (modsecurity_crs_*.conf), which no longer load
    if (Files.isDirectory(activated) && anyCrsRules(confAndData(activated, "*"))) {
      return byActivation(activated);
    }
    for (String place : CRS_FOLDERS) {
      Path base = root.resolve(place);
      if (Files.isDirectory(base.resolve("rules"))) {
        Path setup = place.equals(DEBIAN) ? root.resolve(DEBIAN_SETUP) : null;
        return folder(base, setup);
      }
    }
    throw new UserException("no OWASP CRS installed where distributions put it (/"
        + String.join(", /", CRS_FOLDERS) + ", /" + ACTIVATED + "); install it (Debian: apt-get"
        + " install modsecurity-crs; Red Hat: dnf install mod_security_crs) or name a folder with"
        + " --rules crs:DIR");
  }

  /**
   * A CRS folder's files in load order; {@code setupElsewhere}, when the folder has no
   * crs-setup.conf of its own, is where its site's one may be instead (Debian keeps it in /etc).
   */
  private static List<RuleFile> folder(Path base, Path setupElsewhere) {
    Path rules = Files.isDirectory(base.resolve("rules")) ? base.resolve("rules") : base;
    if (!Files.isDirectory(rules)) {
      throw new UserException("no CRS rules folder at " + base);
    }
    List<Path> files = confAndData(rules, "*");
    // told before any file is read: a folder that is no CRS (crs:/tmp) may hold other .data
    if (files.stream().noneMatch(f -> f.toString().endsWith(".conf"))) {
      throw new UserException("no CRS rule files (*.conf) in " + rules);
    }
    List<Path> order = new ArrayList<>();
    Path setup = base.resolve("crs-setup.conf");
    if (!Files.isRegularFile(setup)) {
      // the CRS release's crs-setup.conf.example is not read: it is a template
      setup = setupElsewhere != null && Files.isRegularFile(setupElsewhere) ? setupElsewhere
          : null;
    }
    if (setup != null) {
      order.add(setup); // first: its settings win over the defaults the rules set
    }
    Path plugins = base.resolve("plugins");
    boolean hasPlugins = !rules.equals(base) && Files.isDirectory(plugins);
    if (hasPlugins) {
      order.addAll(confAndData(plugins, "*-config"));
      order.addAll(confAndData(plugins, "*-before"));
    }
    order.addAll(files);
    if (hasPlugins) {
      order.addAll(confAndData(plugins, "*-after"));
      order.addAll(confAndData(plugins, "*").stream()
          .filter(f -> f.toString().endsWith(".data")).toList());
    }
    return order.stream().map(RuleSources::read).toList();
  }

  /**
   * Red Hat's, Fedora's and AlmaLinux's activation folder (package {@code mod_security_crs}):
   * Apache includes every {@code *.conf} in it, in name order, after the crs-setup.conf beside
   * it. The site takes a rule file out by removing its link, and keeps its exclusion files
   * (REQUEST-900, RESPONSE-999) there.
   */
  static final String ACTIVATED = "etc/httpd/modsecurity.d/activated_rules";

  /** The files of a {@link #ACTIVATED} folder, and the crs-setup.conf beside it, in load order. */
  static List<RuleFile> byActivation(Path activated) {
    List<Path> files = confAndData(activated, "*");
    if (!anyCrsRules(files)) {
      throw new UserException("no CRS rule files (REQUEST-9*.conf) in " + activated);
    }
    List<Path> order = new ArrayList<>();
    Path setup = activated.resolveSibling("crs-setup.conf");
    if (Files.isRegularFile(setup)) {
      order.add(setup);
    }
    order.addAll(files);
    return order.stream().map(RuleSources::read).toList();
  }

  /**
   * The file beside an installed CRS that tells ModSecurity what to load (Debian's
   * modsecurity-crs: {@code Include} and {@code IncludeOptional} lines).
   */
  static final String LOAD_FILE = "owasp-crs.load";

  /**
   * The files {@code load}'s {@code Include} and {@code IncludeOptional} lines name, in their
   * order (a pattern's matches in name order), and the word lists beside each rule file.
   */
  static List<RuleFile> byLoadFile(Path load) {
    String text;
    try {
      text = Files.readString(load, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException("cannot read " + load + ": " + e.getMessage());
    }
    List<Path> order = new ArrayList<>();
    Set<Path> folders = new LinkedHashSet<>();
    for (String line : text.split("\n")) {
      String[] w = line.strip().split("\\s+");
      boolean optional = w[0].equalsIgnoreCase("IncludeOptional");
      if (w.length != 2 || !optional && !w[0].equalsIgnoreCase("Include")) {
        continue; // comments, blank lines and other directives
      }
      Path named = load.resolveSibling(w[1].replace("\"", ""));
      Path folder = named.getParent();
      String glob = named.getFileName().toString();
      List<Path> found = folder != null && Files.isDirectory(folder)
          ? confAndData(folder, glob.endsWith(".conf") ? glob.substring(0, glob.length() - 5)
              : glob).stream().filter(f -> f.toString().endsWith(".conf")).toList()
          : List.of();
      if (found.isEmpty() && !optional) {
        throw new UserException("no CRS file at " + named + ", which " + load + " includes");
      }
      order.addAll(found);
      if (!found.isEmpty()) {
        folders.add(folder);
      }
    }
    if (!anyCrsRules(order)) {
      throw new UserException("no CRS rule files are included by " + load);
    }
    for (Path folder : folders) {
      order.addAll(confAndData(folder, "*").stream()
          .filter(f -> f.toString().endsWith(".data")).toList());
    }
    return order.stream().map(RuleSources::read).toList();
  }

  /** Whether {@code files} hold one of CRS 3's or 4's rule files ({@code REQUEST-9xx-*}). */
  private static boolean anyCrsRules(List<Path> files) {
    return files.stream().anyMatch(f -> f.getFileName().toString().matches("REQUEST-9\\d\\d-.*"));
  }

  /**
   * The {@code .conf} and {@code .data} files of {@code folder} whose names, without that
   * ending, match {@code glob}, in name order.
   */
  private static List<Path> confAndData(Path folder, String glob) {
    java.nio.file.PathMatcher m = folder.getFileSystem().getPathMatcher("glob:" + glob);
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(x -> {
        String n = x.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return (n.endsWith(".conf") || n.endsWith(".data"))
            && m.matches(Path.of(n.substring(0, dot)));
      }).sorted().toList();
    } catch (IOException e) {
      throw new UserException("cannot read CRS folder " + folder + ": " + e.getMessage());
    }
  }

  /** Where Debian keeps the configuration of the CRS it installs under /usr/share. */
  static final String DEBIAN_SETUP = "etc/modsecurity/crs/crs-setup.conf";

  private static RuleFile read(Path f) {
    try {
      return new RuleFile(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
    } catch (CharacterCodingException e) {
      throw new UserException("cannot read rule file " + f + ": it is not UTF-8 text");
    } catch (IOException e) {
      throw new UserException("cannot read rule file " + f + ": " + e.getMessage());
    }
  }

  /** The built-in pack, read from the jar. */
  static List<RuleFile> builtIn() {
    List<RuleFile> out = new ArrayList<>();
    String list = resource("rules/default.list");
    for (String line : list.split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      out.add(new RuleFile("rules/" + name, resource("rules/" + name)));
    }
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = RuleSources.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("built-in rule file missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
