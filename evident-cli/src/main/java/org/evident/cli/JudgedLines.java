package org.evident.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.evident.cli.scan.LogLines;
import org.evident.cli.scan.SiteNames;
import org.evident.cli.source.FileSource;
import org.evident.detect.Detector;
import org.evident.detect.Verdict;
import org.evident.log.BadLineException;
import org.evident.log.LineParser;
import org.evident.log.LogFormat;
import org.evident.log.LogFormats;
import org.evident.log.Request;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One log file (or stdin) read, parsed and judged line by line, storing nothing: what
 * {@code explain} and {@code tune} both walk, with the options they share (a picocli mixin). The
 * format is detected on the first 200 lines, as {@code scan} does, unless one is forced; those
 * lines are judged too.
 */
final class JudgedLines {

  /** What one line came to: a request and its verdict, or the reason it was skipped. */
  interface Visitor {
    void line(long number, String skipped, Request request, Verdict verdict) throws IOException;
  }

  @Parameters(index = "0", paramLabel = "FILE", description = "A log file (.gz too), or -.")
  String file;

  @Option(names = "--rules", paramLabel = "SPEC", split = ",",
      description = "Rules, as for scan (default: evident).")
  List<String> rules = new ArrayList<>(List.of("evident"));

  @Mixin
  ScoringOptions scoring = new ScoringOptions();

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "The log's format, as scan --format (default: detect).")
  String logFormat;

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

  /** Visits every line in order; directives (W3C {@code #Fields:} and the like) are not lines. */
  void forEach(Visitor visitor) throws IOException {
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
    try (InputStream in = open()) {
      LogLines lines = new LogLines(in, maxLineBytes);
      List<LogLines.Line> sample = new ArrayList<>();
      for (LogLines.Line l; sample.size() < 200 && (l = lines.next()) != null; ) {
        sample.add(l);
      }
      LineParser parser = (forced != null ? forced : detect(sample)).newParser();
      String defaultSite = SiteNames.fromFileName(file);
      for (LogLines.Line l : sample) {
        visit(l, parser, detector, defaultSite, visitor);
      }
      for (LogLines.Line l; (l = lines.next()) != null; ) {
        visit(l, parser, detector, defaultSite, visitor);
      }
    }
  }

  private static void visit(LogLines.Line l, LineParser parser, Detector detector,
      String defaultSite, Visitor visitor) throws IOException {
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
    visitor.line(l.number(), problem, r, v);
  }

  private LogFormat detect(List<LogLines.Line> sample) {
    List<String> texts = sample.stream().map(LogLines.Line::text)
        .filter(Objects::nonNull).toList();
    LogFormats.Detection d = LogFormats.detect(texts);
    if (d == null) {
      throw new UserException("cannot recognise the log format of " + file
          + "; name it with --log-format");
    }
    return d.format();
  }

  private InputStream open() throws IOException {
    if (file.equals("-")) {
      return System.in;
    }
    Path p = Path.of(file);
    if (!Files.isRegularFile(p)) {
      throw new UserException("cannot read " + file + ": no such file");
    }
    return new FileSource(p, file).open(0);
  }
}
