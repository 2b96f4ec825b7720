package org.evident.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
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

  @Option(names = "--paranoia", paramLabel = "N",
      description = "Paranoia level 1-4: higher runs more rules (default: ${DEFAULT-VALUE}).")
  int paranoia = Detector.DEFAULT_PARANOIA;

  @Option(names = "--threshold", paramLabel = "N",
      description = "Anomaly score that makes an attack (default: ${DEFAULT-VALUE}).")
  int threshold = Detector.DEFAULT_THRESHOLD;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "The log's format, as scan --format (default: detect).")
  String logFormat;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "text (default) or jsonl: one JSON object per input line.")
  String format = "text";

  @Option(names = "--attacks-only", description = "Show only lines with at least one match.")
  boolean attacksOnly;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("text") && !format.equals("jsonl")) {
      throw new UserException("unknown format '" + format + "'; use text or jsonl");
    }
    if (paranoia < 1 || paranoia > 4) {
      throw new UserException("--paranoia must be 1, 2, 3 or 4");
    }
    Detector detector = new Detector(RuleSources.load(rules), threshold, paranoia);
    LogFormat forced = null;
    if (logFormat != null) {
      try {
        forced = LogFormats.byName(logFormat);
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
    }
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = open()) {
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        lines.add(l);
      }
    }
    LogFormat f = forced;
    if (f == null) {
      LogFormats.Detection d = LogFormats.detect(lines.subList(0, Math.min(200, lines.size())));
      if (d == null) {
        throw new UserException("cannot recognise the log format of " + file
            + "; name it with --log-format");
      }
      f = d.format();
    }
    LineParser parser = f.newParser();
    PrintStream out = System.out;
    JsonFactory json = new JsonFactory();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Request r;
      String problem = null;
      try {
        r = line.isEmpty() ? null : parser.parse(line);
        if (r == null && line.isEmpty()) {
          problem = "empty";
        }
      } catch (BadLineException e) {
        r = null;
        problem = e.reason();
      }
      if (r == null && problem == null) {
        continue; // a directive
      }
      Verdict v = r == null ? null : detector.judge(r, r.host());
      if (attacksOnly && (v == null || v.matches().isEmpty())) {
        continue;
      }
      if (format.equals("jsonl")) {
        out.println(json(json, i + 1, problem, v, detector));
      } else {
        text(out, i + 1, problem, v, detector);
      }
    }
    return 0;
  }

  private BufferedReader open() throws IOException {
    InputStream in;
    if (file.equals("-")) {
      in = System.in;
    } else {
      Path p = Path.of(file);
      if (!Files.isRegularFile(p)) {
        throw new UserException("cannot read " + file + ": no such file");
      }
      in = Files.newInputStream(p);
      byte[] head = new byte[2];
      try (InputStream peek = Files.newInputStream(p)) {
        if (peek.read(head) == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
          in = new GZIPInputStream(in);
        }
      }
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)));
  }

  private static void text(PrintStream out, int n, String problem, Verdict v, Detector d) {
    if (problem != null) {
      out.println("line " + n + ": skipped (" + problem + ")");
      return;
    }
    StringBuilder b = new StringBuilder("line ").append(n).append(": ");
    if (v.matches().isEmpty()) {
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
      Rule r = d.rule(m.ruleId());
      out.println("  " + m.ruleId() + "  " + m.severity().label() + " (+"
          + (m.attackClass() == null ? 0 : m.severity().score()) + ")  "
          + (m.attackClass() == null ? "tool" : m.attackClass()) + "  in " + m.target()
          + " after " + chain(r) + ": \"" + TerminalText.safe(m.fragment()) + "\"  — "
          + (r == null ? "" : r.message()));
    }
  }

  private static String chain(Rule r) {
    if (r == null || r.transformations().isEmpty()) {
      return "none";
    }
    return String.join(",", r.transformations().stream().map(Transformation::name).toList());
  }

  private static String json(JsonFactory f, int n, String problem, Verdict v, Detector d)
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
        Rule r = d.rule(m.ruleId());
        g.writeStartObject();
        g.writeStringField("rule", m.ruleId());
        g.writeStringField("class", m.attackClass());
        g.writeStringField("severity", m.severity().label());
        g.writeNumberField("score", m.attackClass() == null ? 0 : m.severity().score());
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
      g.writeEndArray();
      g.writeEndObject();
      g.flush();
    }
    return w.toString();
  }
}
