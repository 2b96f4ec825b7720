package org.evident.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.evident.cli.scan.LogLines;
import org.evident.cli.scan.Progress;
import org.evident.cli.scan.ServedSites;
import org.evident.cli.scan.SiteNames;
import org.evident.cli.source.LogSource;
import org.evident.cli.source.SourcePaths;
import org.evident.detect.Detector;
import org.evident.detect.Verdict;
import org.evident.log.BadLineException;
import org.evident.log.LineParser;
import org.evident.log.LogFormat;
import org.evident.log.LogFormats;
import org.evident.log.Request;
import org.evident.report.TerminalText;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Log files (or stdin) read, parsed and judged line by line, storing nothing: what
 * {@code explain} and {@code tune} both walk, with the options they share (a picocli mixin). The
 * paths are taken as {@code scan} takes them (files, folders, globs, .gz, -); each file's format
 * is detected on its first 200 lines, as {@code scan} does, unless one is forced, and those
 * lines are judged too.
 */
final class JudgedLines {

  /** What one line came to: a request and its verdict, or the reason it was skipped. */
  interface Visitor {
    void line(String source, long number, String skipped, Request request, Verdict verdict)
        throws IOException;
  }

  @Parameters(arity = "1..*", paramLabel = "PATH",
      description = "Log files (gzip, xz and zstd too), folders, glob patterns (quoted), or -"
          + " for standard input.")
  List<String> paths;

  @Option(names = "--rules", paramLabel = "SPEC", split = ",",
      description = "Rules, as for scan (default: evident).")
  List<String> rules = new ArrayList<>(List.of("evident"));

  @Mixin
  ScoringOptions scoring = new ScoringOptions();

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "The log's format, as scan --format (default: detect).")
  String logFormat;

  /** The zone read from {@link #timeZone}, once the lines are visited. */
  private java.time.ZoneId zone;

  @Option(names = "--time-zone", paramLabel = "ZONE",
      description = "Where the log's times written without an offset were written, as scan"
          + " --time-zone (default: UTC).")
  String timeZone;

  @Option(names = "--site", paramLabel = "NAME",
      description = "Site name for logs without a virtual-host field, as scan --site: the"
          + " allow entries for that site apply (default: from the file name). A vhost field in"
          + " the log wins.")
  String site;

  @Option(names = "--sites", paramLabel = "NAME", split = ",",
      description = "The sites the log serves, as scan --sites: a request whose Host or vhost"
          + " field names another host counts for the log's own site (default: every host the"
          + " log names is a site).")
  List<String> sites = new ArrayList<>();

  /** The sites {@link #sites} names, read once the lines are visited. */
  private ServedSites served = ServedSites.ANY;

  /** The site of {@code r}: its host's, where one of the log's sites; else {@code fallback}. */
  String siteOf(Request r, String fallback) {
    return SiteNames.of(r.host(), fallback, served);
  }

  @Option(names = "--max-line-bytes", paramLabel = "N",
      description = "Longer lines are skipped, as in scan (default: ${DEFAULT-VALUE}).")
  int maxLineBytes = 256 * 1024;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads that judge lines; the output is the same, in the log's order,"
          + " with any number (default: number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  /** Lines judged as one task: enough to pay for the hand-over, few enough to keep order cheap. */
  private static final int BATCH_LINES = 1024;

  private Detector detector;

  /** The detector the rules and scoring options make, built on first use. */
  Detector detector() {
    if (detector == null) {
      detector = scoring.detector(RuleSources.load(rules));
    }
    return detector;
  }

  /** The sources the paths name; what could not be read is reported on {@code err}. */
  List<LogSource> sources(PrintStream err) {
    SourcePaths.Expansion found = SourcePaths.expand(paths, System.in);
    if (found.sources().isEmpty() && found.problems().size() == 1) {
      throw new UserException(TerminalText.safe(found.problems().get(0)));
    }
    for (String p : found.problems()) {
      err.println("evident: " + TerminalText.safe(p));
    }
    if (found.sources().isEmpty()) {
      throw new UserException("nothing to read");
    }
    return found.sources();
  }

  /**
   * Visits every line of every source in order; directives (W3C {@code #Fields:} and the like)
   * are not lines.
   */
  void forEach(List<LogSource> sources, Visitor visitor) throws IOException {
    forEach(sources, visitor, new Progress(System.err, false));
  }

  /** The same, drawing {@code progress} as it reads (lines, bytes of all sources, ETA). */
  void forEach(List<LogSource> sources, Visitor visitor, Progress progress) throws IOException {
    if (maxLineBytes < 256 || threads < 1) {
      throw new UsageException("--max-line-bytes must be at least 256 and --threads at least 1");
    }
    LogFormat forced;
    try {
      zone = timeZone == null ? null : LogFormats.zone(timeZone);
      forced = logFormat == null ? null : LogFormats.byName(logFormat);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    try {
      served = ServedSites.parse(sites);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--sites: " + e.getMessage());
    }
    if (forced != null && zone != null) {
      forced = forced.inZone(zone);
    }
    Detector detector = detector();
    long total = 0;
    for (LogSource source : sources) {
      total = source.size() < 0 || total < 0 ? -1 : total + source.size();
    }
    ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "evident-judge");
      t.setDaemon(true);
      return t;
    });
    try {
      forEach(sources, visitor, progress, forced, detector, pool, total);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private void forEach(List<LogSource> sources, Visitor visitor, Progress progress,
      LogFormat forced, Detector detector, ExecutorService pool, long total) throws IOException {
    long before = 0;
    long lines = 0;
    for (LogSource source : sources) {
      try (InputStream in = source.open(0)) {
        LogLines read = new LogLines(in, maxLineBytes);
        List<LogLines.Line> sample = new ArrayList<>();
        for (LogLines.Line l; sample.size() < 200 && (l = read.next()) != null; ) {
          sample.add(l);
        }
        if (sample.isEmpty()) {
          continue; // an empty file: nothing to judge, nothing to detect a format on
        }
        LogFormat format = forced != null ? forced : detect(sample);
        if (forced == null && format != null && zone != null) {
          format = format.inZone(zone);
        }
        if (format == null) {
          String problem = "cannot recognise the log format of "
              + TerminalText.safe(source.name()) + "; name it with --log-format";
          if (sources.size() == 1) {
            throw new UserException(problem);
          }
          System.err.println("evident: " + problem + " (skipped)");
          continue;
        }
        LineParser parser = format.newParser();
        String defaultSite = site != null ? site : SiteNames.fromFileName(source.name());
        InOrder judged = new InOrder(pool, 2 * threads, parser, detector, defaultSite, served,
            source.name(), visitor);
        judged.add(sample);
        List<LogLines.Line> batch = new ArrayList<>(BATCH_LINES);
        for (LogLines.Line l; (l = read.next()) != null; ) {
          batch.add(l);
          if (batch.size() == BATCH_LINES) {
            judged.add(batch);
            batch = new ArrayList<>(BATCH_LINES);
          }
          if (++lines % BATCH_LINES == 0) {
            progress.update(source.name(), lines, before + source.metrics().rawBytes(), total);
          }
        }
        judged.add(batch);
        judged.finish();
        lines += sample.size();
      }
      before += source.metrics().rawBytes();
    }
    progress.finish();
  }

  /**
   * Batches of lines judged on the pool's threads (or this one) and handed to the visitor in the
   * log's order. A parser with state (W3C's {@code #Fields:}) gives each batch a copy as it stood
   * at the batch's first line, as scan's reader does; a stateless one is shared.
   */
  private static final class InOrder {
    private final ExecutorService pool;
    private final LineParser tracking;
    private final Detector detector;
    private final String defaultSite;
    private final ServedSites served;
    private final String source;
    private final Visitor visitor;
    private final ArrayDeque<Future<Judged[]>> pending = new ArrayDeque<>();
    private final int inFlight;

    InOrder(ExecutorService pool, int inFlight, LineParser parser, Detector detector,
        String defaultSite, ServedSites served, String source, Visitor visitor) {
      this.pool = pool;
      this.inFlight = inFlight;
      this.tracking = parser;
      this.detector = detector;
      this.defaultSite = defaultSite;
      this.served = served;
      this.source = source;
      this.visitor = visitor;
    }

    void add(List<LogLines.Line> batch) throws IOException {
      if (batch.isEmpty()) {
        return;
      }
      LineParser atStart = tracking.copy();
      if (atStart != tracking) {
        for (LogLines.Line l : batch) { // directives move the tracking parser on
          if (l.text() != null && l.text().startsWith("#")) {
            try {
              tracking.parse(l.text());
            } catch (BadLineException e) {
              // counted when the batch is judged
            }
          }
        }
      }
      if (pool == null) {
        hand(judge(batch, atStart, detector.forThisThread()));
        return;
      }
      pending.add(pool.submit(() -> judge(batch, atStart, detector.forThisThread())));
      while (pending.size() > inFlight) {
        takeOldest();
      }
    }

    void finish() throws IOException {
      while (!pending.isEmpty()) {
        takeOldest();
      }
    }

    private void takeOldest() throws IOException {
      Future<Judged[]> f = pending.peek();
      Judged[] done;
      try {
        done = f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
      pending.remove();
      hand(done);
    }

    private void hand(Judged[] done) throws IOException {
      for (Judged j : done) {
        if (j != null) { // null: a directive
          visitor.line(source, j.number, j.problem, j.request, j.verdict);
        }
      }
    }

    private Judged[] judge(List<LogLines.Line> batch, LineParser parser,
        Detector.ThreadJudge judge) {
      Judged[] out = new Judged[batch.size()];
      for (int i = 0; i < out.length; i++) {
        LogLines.Line l = batch.get(i);
        Request r = null;
        String problem = l.skipped();
        if (problem == null) {
          try {
            r = parser.parse(l.text());
            if (r == null) {
              continue; // a directive
            }
          } catch (BadLineException e) {
            problem = e.reason();
          }
        }
        Verdict v = r == null ? null : judge.judge(r, SiteNames.of(r.host(), defaultSite, served));
        out[i] = new Judged(l.number(), problem, r, v);
      }
      return out;
    }
  }

  private record Judged(long number, String problem, Request request, Verdict verdict) {}

  /** The format detected on a sample, or {@code null}. */
  private static LogFormat detect(List<LogLines.Line> sample) {
    List<String> texts = sample.stream().map(LogLines.Line::text)
        .filter(Objects::nonNull).toList();
    LogFormats.Detection d = LogFormats.detect(texts);
    return d == null ? null : d.format();
  }
}
