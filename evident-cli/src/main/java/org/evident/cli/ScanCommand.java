package org.evident.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.evident.cli.geo.GeoDatabases;
import org.evident.cli.scan.Progress;
import org.evident.cli.scan.ScanJob;
import org.evident.cli.scan.ScanSummary;
import org.evident.cli.scan.ServedSites;
import org.evident.cli.source.SourcePaths;
import org.evident.detect.Detector;
import org.evident.geo.Locator;
import org.evident.log.LogFormats;
import org.evident.net.Cidr;
import org.evident.net.TrustedProxies;
import org.evident.store.EvidentStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evident scan}: logs in, attacks stored. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {
        "Reads web server logs, judges every request, locates attack sources and stores the"
            + " results. Scanning a file again adds nothing; a file that has grown adds only"
            + " its new lines (files are recognised by the first 4 KiB of their text, so rotated"
            + " files are too, even once compressed).",
        "",
        "In a file written in the last 10 seconds, a last line without its line"
            + " ending may be half-written: it is left for the next scan. A scan stopped by"
            + " Ctrl-C or a signal keeps what it committed (every million lines or ten"
            + " thousand attacks, and each file's end), says how far that goes, and the next"
            + " scan goes on from there.",
        "",
        "Formats are detected per file from a sample: combined, common, vhost_combined, json"
            + " (nginx JSON, Elastic Common Schema, Caddy, Traefik, Google Cloud's and Azure's load"
            + " balancers, Cloudflare, Akamai, AWS WAF), alb (AWS ALB), w3c (IIS, Amazon CloudFront) and haproxy"
            + " (HAProxy's HTTP log), and any of them inside syslog lines (syslog+combined, as"
            + " rsyslog writes nginx's access_log syslog:). Lines that"
            + " cannot be read are counted by reason and shown at the end; a file that breaks"
            + " off (a .gz cut short) keeps the lines before the break, and reports name it;"
            + " the scan fails only"
            + " when nothing at all could be read.",
        "",
        "Behavioural detectors watch each source over time: login brute force (failed POSTs to"
            + " login-like paths), enumeration (404s over distinct paths), scan breadth (several"
            + " attack classes), floods. Their findings are stored as attacks of their own"
            + " classes (brute-force, enumeration, scan-breadth, flood) with the lines that made"
            + " the window; --no-behaviour turns them off. A growing log keeps its windows"
            + " from one scan to the next, and a log that rotation began anew goes on from"
            + " where the file it follows ended: the files of one log (access.log,"
            + " access.log.1, access.log.2.gz, access.log-20130201.gz in one folder) are read"
            + " oldest first, so scan them together (access.log*).",
        "",
        "Every line read, benign ones too, becomes a leaf of a Merkle tree per committed"
            + " segment (RFC 9162); the segments' tree heads are chained and, when a site key"
            + " exists (evident keygen, or --key), signed. See docs/evidence.md."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:scanned (some lines or paths may have been skipped; see the summary)",
        "1:nothing could be read", "2:bad usage"})
final class ScanCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH",
      description = "Log files, folders, glob patterns (quoted) or - for standard input;"
          + " files and standard input compressed with gzip, xz, zstd or bzip2 are decompressed"
          + " (told by their first bytes, not their names).")
  List<String> paths;

  @Mixin
  StoreOption store;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
      description = "Force a format: combined, common, vhost_combined, nginx, json, alb, w3c,"
          + " haproxy, 'apache:LOGFORMAT' or 'nginx:LOG_FORMAT', each also as syslog+NAME"
          + " (default: detect). haproxy:host,user-agent names HAProxy's captured request"
          + " headers in the order its configuration captures them (- for one to leave);"
          + " plain haproxy tells them apart by their look. w3c:timestamp,c-ip,... names the"
          + " fields of a W3C log without a #Fields: line (CloudFront's real-time logs). Any"
          + " request header a format logs (%%{Cookie}i, $http_accept), and any cookie it logs"
          + " by name (%%{sid}C, $cookie_sid), is read and judged.")
  String format;

  @Option(names = "--site", paramLabel = "NAME",
      description = "Site name for logs without a virtual-host field (default: from the file"
          + " name). A vhost field in the log wins, unless it is no host name (a payload"
          + " sent as the Host header).")
  String site;

  @Option(names = "--sites", paramLabel = "NAME", split = ",",
      description = "The sites this log serves, comma-separated (shop.example,*.shop.example:"
          + " every name below shop.example). A request whose Host or vhost field names another"
          + " host (a scanner's made-up Host, the server's address) counts for the log's own"
          + " site (--site, or the file's name) instead of making a site of its own. Default:"
          + " every host the log names is a site.")
  List<String> sites = new ArrayList<>();

  @Option(names = "--time-zone", paramLabel = "ZONE",
      description = "Where times written without an offset were written: a region"
          + " (Europe/Paris) or an offset (+01:00): HAProxy's accept date, a JSON time such as"
          + " 2013-02-10T10:00:00. Times with an offset, epochs, and"
          + " W3C and ALB logs (UTC by definition), are read as written (default: UTC). A file"
          + " scanned again is read in the zone it was read in first.")
  String timeZone;

  @Option(names = "--trusted-proxy", paramLabel = "CIDR",
      description = "A proxy or load balancer whose X-Forwarded-For is believed; repeatable."
          + " Without one, X-Forwarded-For is ignored.")
  List<String> trustedProxies = new ArrayList<>();

  @Option(names = "--rules", paramLabel = "SPEC", split = ",",
      description = "Rules: 'evident' (built in), 'crs' (the OWASP CRS the system installed),"
          + " 'crs:DIR' (a CRS folder), YAML files or folders, SecLang .conf files (a site's own"
          + " SecRules); comma-separated, later ones may"
          + " disable rules or allow-list (default: evident).")
  List<String> rules = new ArrayList<>(List.of("evident"));

  @Mixin
  ScoringOptions scoring = new ScoringOptions();

  @Option(names = "--geo-db", paramLabel = "FILE.mmdb",
      description = "A MaxMind DB file for countries (GeoLite2, IPinfo, DB-IP ...) instead of"
          + " the default DB-IP Lite.")
  Path geoDb;

  @Option(names = "--no-geo", description = "Do not locate sources (no download).")
  boolean noGeo;

  @Mixin
  KeyOption key = new KeyOption();

  @Option(names = "--no-behaviour", description = "Do not run the behavioural detectors (login"
      + " brute force, enumeration, scan breadth, floods).")
  boolean noBehaviour;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar and no notes.")
  boolean quiet;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads (default: number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--max-line-bytes", paramLabel = "N",
      description = "Lines longer than this are skipped and counted (default: ${DEFAULT-VALUE}).")
  int maxLineBytes = 256 * 1024;

  @Override
  public Integer call() {
    return scan(System.out, System.err);
  }

  int scan(PrintStream out, PrintStream err) {
    java.time.ZoneId zone;
    try {
      if (format != null) {
        LogFormats.byName(format);
      }
      zone = timeZone == null ? null : LogFormats.zone(timeZone);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (threads < 1 || maxLineBytes < 256) {
      throw new UsageException("--threads must be at least 1 and --max-line-bytes at least 256");
    }
    List<Cidr> proxies = new ArrayList<>();
    for (String c : trustedProxies) {
      try {
        proxies.add(Cidr.parse(c));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--trusted-proxy: " + e.getMessage());
      }
    }
    scoring.check();
    ServedSites served;
    try {
      served = ServedSites.parse(sites);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--sites: " + e.getMessage());
    }
    SourcePaths.Expansion found = SourcePaths.expand(paths, System.in).without(store.path());
    for (String p : found.problems()) {
      err.println("evident: " + org.evident.report.TerminalText.safe(p));
    }
    if (found.sources().isEmpty()) {
      throw new UserException("nothing to scan");
    }
    // opening the database, loading location data and compiling rules each take a noticeable
    // part of a second and need nothing from each other: do them at the same time
    CompletableFuture<EvidentStore> opening =
        CompletableFuture.supplyAsync(() -> EvidentStore.openForScan(store.path()));
    CompletableFuture<Locator> locating = CompletableFuture.supplyAsync(() -> noGeo
        ? Locator.SCOPES_ONLY : new GeoDatabases(GeoDatabases.defaultCache(), err).locator(geoDb));
    Detector detector;
    Locator locator;
    org.evident.evidence.SiteKey signer;
    try {
      detector = scoring.detector(RuleSources.load(rules));
      signer = key.loadIfPresent();
      locator = join(locating);
    } catch (RuntimeException e) {
      // the store is closed before the command returns: nothing may go on writing its folder
      try {
        opening.join().close();
      } catch (RuntimeException ignored) {
        // the first failure is the one to report
      }
      throw e;
    }
    long t0 = System.nanoTime();
    ScanSummary s;
    try (EvidentStore db = join(opening)) {
      Progress progress = new Progress(err, !quiet && System.console() != null);
      ScanJob job = new ScanJob(db, detector, locator,
          new ScanJob.Options(format, site, served, new TrustedProxies(proxies), maxLineBytes,
              threads, signer,
              noBehaviour ? null : org.evident.behaviour.BehaviourConfig.DEFAULTS, zone),
          progress);
      // Ctrl-C or a stop signal: say what is stored (the store itself is left alone: a commit
      // in flight is whole or absent when the database is next opened)
      Thread hook = new Thread(() -> {
        progress.finish();
        err.println("evident: " + org.evident.report.TerminalText.safe(job.interrupted()));
      }, "evident-interrupted");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        s = job.run(found.sources());
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it says what the scan left
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    s.problems.addAll(0, found.problems()); // said above already; counted for the exit code
    s.notes.addAll(0, RuleSources.skippedNotes(detector.ruleSet()));
    s.notes.addAll(0, RuleSources.secLangFolderNotes(detector.ruleSet()));
    s.notes.addAll(0, RuleSources.unjudgedNotes(detector));
    s.notes.addAll(RuleSources.untunedNotes(rules, s.attacks));
    report(s, found.problems().size(), secs, out, err);
    if (detector.detectionParanoia() > detector.paranoia()) {
      out.printf(Locale.ROOT, "Rules of paranoia level%s %s (run for detection only, not counted)"
          + " matched %s; %,d of them would be attacks at paranoia level %d.%n",
          detector.detectionParanoia() - detector.paranoia() > 1 ? "s" : "",
          detector.detectionParanoia() - detector.paranoia() > 1
              ? (detector.paranoia() + 1) + "-" + detector.detectionParanoia()
              : String.valueOf(detector.detectionParanoia()),
          counted(s.unscored, "request"), s.unscoredAttacks, detector.detectionParanoia());
    }
    return s.nothingRead() ? 1 : 0;
  }

  /** Waits for a task, rethrowing its failure as it was thrown. */
  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** The summary; the first {@code said} problems were printed before the scan began. */
  private void report(ScanSummary s, int said, double secs, PrintStream out, PrintStream err) {
    if (!quiet) {
      for (String n : s.notes) {
        err.println("  " + org.evident.report.TerminalText.safe(n));
      }
    }
    for (String p : s.problems.subList(said, s.problems.size())) {
      err.println("evident: " + org.evident.report.TerminalText.safe(p));
    }
    out.printf(Locale.ROOT, "Scanned %s (%d unchanged): %s, %s, %s (%.2f%%) in %.1f s"
        + " (%,.0f lines/s).%n", counted(s.sources, "source"), s.unchangedSources,
        counted(s.lines, "line"), counted(s.requests, "request"),
        counted(s.attacks, "attack request"),
        s.requests == 0 ? 0.0 : 100.0 * s.attacks / s.requests, secs, s.lines / secs);
    if (s.behaviour > 0) {
      out.printf(Locale.ROOT, "Behaviour: %s (login brute force, enumeration, scan breadth,"
          + " floods), stored as attacks of their own classes.%n",
          counted(s.behaviour, "finding"));
    }
    if (s.evictedSources > 0 && !quiet) {
      err.printf(Locale.ROOT, "  behaviour: %,d sources evicted to bound memory%n",
          s.evictedSources);
    }
    if (!s.skipped.isEmpty()) {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, Long> e : s.skipped.entrySet()) {
        b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
            .append(String.format(Locale.ROOT, "%,d", e.getValue()));
      }
      out.printf(Locale.ROOT, "Skipped %s: %s.%n", counted(s.skippedTotal(), "line"), b);
    }
    if (s.repaired > 0) {
      out.printf(Locale.ROOT, "%s %s not valid UTF-8; %s read byte for byte.%n",
          counted(s.repaired, "line"), s.repaired == 1 ? "was" : "were",
          s.repaired == 1 ? "it was" : "they were");
    }
    if (s.nothingRead()) {
      err.println("evident: nothing could be read: no line parsed as a request");
    }
  }

  /** {@code 1 line}, {@code 2,000 lines}: a count and its noun, in the summary's words. */
  private static String counted(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }
}
