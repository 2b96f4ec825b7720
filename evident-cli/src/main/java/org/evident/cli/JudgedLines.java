package org.evident.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.evident.cli.scan.LogLines;
import org.evident.cli.scan.Progress;
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
      description = "Log files (.gz too), folders, glob patterns (quoted), or - for standard"
          + " input.")
  List<String> paths;

  @Option(names = "--rules", paramLabel = "SPEC", split = ",",
      description = "Rules, as for scan (default: evident).")
  List<String> rules = new ArrayList<>(List.of("evident"));

  @Mixin
  ScoringOptions scoring = new ScoringOptions();

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "The log's format, as scan --format (default: detect).")
  String logFormat;

  @Option(names = "--site", paramLabel = "NAME",
      description = "Site name for logs without a virtual-host field, as scan --site: the"
          + " allow entries for that site apply (default: from the file name). A vhost field in"
          + " the log wins.")
  String site;

  @Option(names = "--max-line-bytes", paramLabel = "N",
      description = "Longer lines are skipped, as in scan (default: ${DEFAULT-VALUE}).")
  int maxLineBytes = 256 * 1024;

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
    if (maxLineBytes < 256) {
      throw new UserException("--max-line-bytes must be at least 256");
    }
    LogFormat forced = null;
    if (logFormat != null) {
      try {
        forced = LogFormats.byName(logFormat);
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
    }
    Detector detector = detector();
    long total = 0;
    for (LogSource source : sources) {
      total = source.size() < 0 || total < 0 ? -1 : total + source.size();
    }
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
        for (LogLines.Line l : sample) {
          visit(source.name(), l, parser, detector, defaultSite, visitor);
        }
        lines += sample.size();
        for (LogLines.Line l; (l = read.next()) != null; ) {
          visit(source.name(), l, parser, detector, defaultSite, visitor);
          progress.update(source.name(), ++lines, before + source.metrics().rawBytes(), total);
        }
      }
      before += source.metrics().rawBytes();
    }
    progress.finish();
  }

  private static void visit(String source, LogLines.Line l, LineParser parser,
      Detector detector, String defaultSite, Visitor visitor) throws IOException {
    Request r = null;
    String problem = l.skipped();
    if (problem == null) {
      try {
        r = parser.parse(l.text());
        if (r == null) {
          return; // a directive
        }
      } catch (BadLineException e) {
        problem = e.reason();
      }
    }
    Verdict v = r == null ? null : detector.judge(r, SiteNames.of(r.host(), defaultSite));
    visitor.line(source, l.number(), problem, r, v);
  }

  /** The format detected on a sample, or {@code null}. */
  private static LogFormat detect(List<LogLines.Line> sample) {
    List<String> texts = sample.stream().map(LogLines.Line::text)
        .filter(Objects::nonNull).toList();
    LogFormats.Detection d = LogFormats.detect(texts);
    return d == null ? null : d.format();
  }
}
