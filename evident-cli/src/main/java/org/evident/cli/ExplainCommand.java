package org.evident.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.evident.cli.scan.LogLines;
import org.evident.cli.scan.SiteNames;
import org.evident.cli.source.FileSource;
import org.evident.detect.Detector;
import org.evident.detect.Match;
import org.evident.detect.Rule;
import org.evident.detect.Transformation;
import org.evident.detect.Verdict;
import org.evident.log.BadLineException;
import org.evident.log.LineParser;
import org.evident.log.LogFormat;
import org.evident.log.LogFormats;
import org.evident.log.Request;
import org.evident.report.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evident explain}: why each line was judged as it was, for tuning rules. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Judges every line of a log and shows why: the verdict, the anomaly score,"
        + " and every rule that matched (even below the threshold) with its score, target,"
        + " transformations and the fragment it matched. Stores nothing.",
        "Use it to find false positives, then allow-list or disable rules in a file given to"
            + " --rules."})
final class ExplainCommand implements Callable<Integer> {

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

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "text (default) or jsonl: one JSON object per input line.")
  String format = "text";

  @Option(names = "--attacks-only", description = "Show only lines with at least one match.")
  boolean attacksOnly;

  @Option(names = "--max-line-bytes", paramLabel = "N",
      description = "Longer lines are skipped, as in scan (default: ${DEFAULT-VALUE}).")
  int maxLineBytes = 256 * 1024;

  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public Integer call() throws IOException {
    if (!format.equals("text") && !format.equals("jsonl")) {
      throw new UserException("unknown format '" + format + "'; use text or jsonl");
    }
    if (maxLineBytes < 256) {
      throw new UserException("--max-line-bytes must be at least 256");
    }
    Detector detector = scoring.detector(RuleSources.load(rules));
    LogFormat forced = null;
    if (logFormat != null) {
      try {
        forced = LogFormats.byName(logFormat);
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
    }
    try (InputStream in = open()) {
      LogLines lines = new LogLines(in, maxLineBytes);
      // the format is detected on the first lines, as scan does; they are kept to be judged too
      List<LogLines.Line> sample = new ArrayList<>();
      for (LogLines.Line l; sample.size() < 200 && (l = lines.next()) != null; ) {
        sample.add(l);
      }
      LineParser parser = (forced != null ? forced : detect(sample)).newParser();
      String defaultSite = SiteNames.fromFileName(file);
      for (LogLines.Line l : sample) {
        explain(l, parser, detector, defaultSite);
      }
      for (LogLines.Line l; (l = lines.next()) != null; ) {
        explain(l, parser, detector, defaultSite);
      }
    }
    return 0;
  }

  private LogFormat detect(List<LogLines.Line> sample) {
    List<String> texts = sample.stream().map(LogLines.Line::text)
        .filter(java.util.Objects::nonNull).toList();
    LogFormats.Detection d = LogFormats.detect(texts);
    if (d == null) {
      throw new UserException("cannot recognise the log format of " + file
          + "; name it with --log-format");
    }
    return d.format();
  }

  private void explain(LogLines.Line l, LineParser parser, Detector detector,
      String defaultSite) throws IOException {
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
    String site = r == null ? defaultSite : SiteNames.of(r.host(), defaultSite);
    Verdict v = r == null ? null : detector.judge(r, site);
    if (attacksOnly && (v == null || v.clean())) {
      return;
    }
    if (format.equals("jsonl")) {
      System.out.println(json(JSON, l.number(), problem, v, detector));
    } else {
      text(System.out, l.number(), problem, v, detector);
    }
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

  private static void text(PrintStream out, long n, String problem, Verdict v, Detector d) {
    if (problem != null) {
      out.println("line " + n + ": skipped (" + problem + ")");
      return;
    }
    StringBuilder b = new StringBuilder("line ").append(n).append(": ");
    if (v.clean()) {
      out.println(b.append("clean"));
      return;
    }
    b.append(v.attack() ? "ATTACK" : "below threshold").append(", score ").append(v.score());
    if (v.attackClass() != null) {
      b.append(", class ").append(v.attackClass());
    }
    if (v.tool() != null) {
      b.append(", tool ").append(TerminalText.safe(v.tool()));
    }
    out.println(b);
    for (Match m : v.matches()) {
      out.println(text(m, d.rule(m.ruleId()), null));
    }
    for (Match m : v.unscored()) {
      Rule r = d.rule(m.ruleId());
      out.println(text(m, r, "paranoia " + (r == null ? "?" : r.paranoia()) + ", not scored"));
    }
  }

  /** One match: rule, points, class, where, after which transformations, what it matched. */
  private static String text(Match m, Rule r, String unscored) {
    return "  " + m.ruleId() + "  " + m.severity().label() + " ("
        + (unscored != null ? unscored : "+" + (m.attackClass() == null ? 0 : m.severity().score()))
        + ")  " + (m.attackClass() == null ? "tool" : m.attackClass()) + "  in "
        + TerminalText.safe(m.target()) + " after " + chain(r) + ": \""
        + TerminalText.safe(m.fragment()) + "\"  — " + (r == null ? "" : r.message());
  }

  private static String chain(Rule r) {
    if (r == null || r.transformations().isEmpty()) {
      return "none";
    }
    return String.join(",", r.transformations().stream().map(Transformation::name).toList());
  }

  private static String json(JsonFactory f, long n, String problem, Verdict v, Detector d)
      throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = f.createGenerator(w)) {
      g.writeStartObject();
      g.writeNumberField("line", n);
      if (problem != null) {
        g.writeStringField("skipped", problem);
        g.writeEndObject();
        g.flush();
        return w.toString();
      }
      g.writeBooleanField("attack", v.attack());
      g.writeNumberField("score", v.score());
      g.writeNumberField("threshold", d.threshold());
      g.writeStringField("class", v.attackClass());
      g.writeStringField("severity", v.severity() == null ? null : v.severity().label());
      g.writeStringField("tool", v.tool());
      g.writeArrayFieldStart("matches");
      for (Match m : v.matches()) {
        json(g, m, d.rule(m.ruleId()), false);
      }
      g.writeEndArray();
      if (d.detectionParanoia() > d.paranoia()) {
        g.writeArrayFieldStart("unscored");
        for (Match m : v.unscored()) {
          json(g, m, d.rule(m.ruleId()), true);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.flush();
    }
    return w.toString();
  }

  /** One match; an unscored one names its rule's paranoia level and would-be score. */
  private static void json(JsonGenerator g, Match m, Rule r, boolean unscored)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("rule", m.ruleId());
    g.writeStringField("class", m.attackClass());
    g.writeStringField("severity", m.severity().label());
    g.writeNumberField("score", m.attackClass() == null ? 0 : m.severity().score());
    if (unscored && r != null) {
      g.writeNumberField("paranoia", r.paranoia());
    }
    g.writeStringField("target", m.target());
    g.writeArrayFieldStart("transformations");
    if (r != null) {
      for (Transformation t : r.transformations()) {
        g.writeString(t.name());
      }
    }
    g.writeEndArray();
    g.writeStringField("fragment", m.fragment());
    g.writeStringField("msg", r == null ? null : r.message());
    g.writeEndObject();
  }
}
