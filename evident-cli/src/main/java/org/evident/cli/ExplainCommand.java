package org.evident.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.evident.cli.source.LogSource;
import org.evident.detect.Detector;
import org.evident.detect.Match;
import org.evident.detect.Rule;
import org.evident.detect.Transformation;
import org.evident.detect.Verdict;
import org.evident.report.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evident explain}: why each line was judged as it was, for tuning rules. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Judges every line of the logs given and shows why: the verdict, the anomaly"
        + " score, and every rule that matched (even below the threshold) with its score,"
        + " target, transformations and the fragment it matched. With more than one file, each"
        + " line names its file (jsonl: a \"file\" field). Stores nothing.",
        "Use it to find false positives, then allow-list or disable rules in a file given to"
            + " --rules; evident tune proposes the allow-list entries from a whole log. A match"
            + " an allow entry dropped is listed too, marked with the entry (file and place in"
            + " its allow: list; every one of the arg: entries that dropped it together; jsonl:"
            + " an \"excused\" array, present when the rules hold allow entries), and scores"
            + " nothing."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every readable line was judged",
        "1:nothing could be read, or the rules could not be loaded",
        "2:bad usage"})
final class ExplainCommand implements Callable<Integer> {
  @Mixin
  JudgedLines log = new JudgedLines();

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "text (default) or jsonl: one JSON object per input line.")
  String format = "text";

  @Option(names = "--attacks-only", description = "Show only lines with at least one match.")
  boolean attacksOnly;

  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public Integer call() throws IOException {
    if (!format.equals("text") && !format.equals("jsonl")) {
      throw new UsageException("unknown format '" + format + "'; use text or jsonl");
    }
    List<LogSource> sources = log.sources(System.err);
    boolean many = sources.size() > 1; // then each line names its file
    log.forEach(sources, (source, n, problem, r, v) -> {
      if (attacksOnly && (v == null || v.clean())) {
        return;
      }
      if (format.equals("jsonl")) {
        System.out.println(json(JSON, many ? source : null, n, problem, v, log.detector()));
      } else {
        text(System.out, many ? source : null, n, problem, v, log.detector());
      }
    });
    return 0;
  }

  private static void text(PrintStream out, String source, long n, String problem, Verdict v,
      Detector d) {
    String where = (source == null ? "" : TerminalText.safe(source) + " ") + "line " + n;
    if (problem != null) {
      out.println(where + ": skipped (" + problem + ")");
      return;
    }
    StringBuilder b = new StringBuilder(where).append(": ");
    if (v.clean()) {
      b.append("clean");
    } else {
      b.append(v.attack() ? "ATTACK" : "below threshold").append(", score ").append(v.score());
      if (v.attackClass() != null) {
        b.append(", class ").append(v.attackClass());
      }
      if (v.tool() != null) {
        b.append(", tool ").append(TerminalText.safe(v.tool()));
      }
    }
    if (!v.excused().isEmpty()) {
      b.append(v.excused().size() == 1 ? ", 1 match excused" : ", " + v.excused().size()
          + " matches excused");
    }
    out.println(b);
    for (Match m : v.matches()) {
      out.println(text(m, d.rule(m), null));
    }
    for (Match m : v.unscored()) {
      Rule r = d.rule(m);
      out.println(text(m, r, "paranoia " + (r == null ? "?" : r.paranoia()) + ", not scored"));
    }
    for (Verdict.Excused e : v.excused()) {
      out.println(text(e.match(), d.rule(e.match()),
          "excused by " + TerminalText.safe(e.allow())));
    }
  }

  /**
   * One match: rule, points (or {@code instead} of them: why it scored none), class, where,
   * after which transformations, what it matched.
   */
  private static String text(Match m, Rule r, String instead) {
    return "  " + m.ruleId() + "  " + m.severity().label() + " ("
        + (instead != null ? instead : "+" + (m.attackClass() == null ? 0 : m.severity().score()))
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

  private static String json(JsonFactory f, String source, long n, String problem, Verdict v,
      Detector d) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = f.createGenerator(w)) {
      g.writeStartObject();
      if (source != null) {
        g.writeStringField("file", source);
      }
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
        json(g, m, d.rule(m), false, null);
      }
      g.writeEndArray();
      if (d.detectionParanoia() > d.paranoia()) {
        g.writeArrayFieldStart("unscored");
        for (Match m : v.unscored()) {
          json(g, m, d.rule(m), true, null);
        }
        g.writeEndArray();
      }
      if (!d.ruleSet().allows().isEmpty()) {
        g.writeArrayFieldStart("excused");
        for (Verdict.Excused e : v.excused()) {
          json(g, e.match(), d.rule(e.match()), false, e.allow());
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.flush();
    }
    return w.toString();
  }

  /**
   * One match; an unscored one names its rule's paranoia level and would-be score, an excused
   * one the allow entry that excused it.
   */
  private static void json(JsonGenerator g, Match m, Rule r, boolean unscored, String allow)
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
    if (allow != null) {
      g.writeStringField("allow", allow);
    }
    g.writeEndObject();
  }
}
