package org.evident.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evident.cli.demo.TrafficGenerator;
import org.evident.detect.Detector;
import org.evident.detect.RuleFile;
import org.evident.detect.RuleSet;
import org.evident.log.LineParser;
import org.evident.log.LogFormats;
import org.evident.log.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Detection alone, one thread: the built-in rules judging a benign-majority mix (the generator's
 * traffic, 3% attacks). Reported per request; lines/s is the inverse. Parsing is measured
 * separately, so the two can be told apart. Each invocation takes the next 50,000 of 400,000
 * generated requests: replaying the same few would let the detector's value cache answer
 * requests a real log would make it judge. {@code -p log=FILE} judges a combined log's requests
 * instead (for example the real-world benign corpus that {@code BenignTrafficTest} writes to
 * evident-cli/target/benign.log), cycling through them the same way; add {@code -p fresh=true}
 * to judge each invocation with a new detector, empty caches and all (a first pass over it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// a fixed heap, touched before the first iteration: with the default heap the young generation
// grew into fresh memory for minutes, and from about twelve seconds into a fork a third of the
// benchmark thread's time went to the kernel zeroing pages for it (clear_page_erms)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms2g", "-Xmx2g",
    "-XX:+AlwaysPreTouch"})
@Threads(1)
public class DetectionBenchmark {
  static final int LINES = 50_000;
  static final int POOL = 400_000;

  /** A combined log to judge instead of the generator's traffic; empty for the generator's. */
  @Param({""})
  public String log;

  /**
   * Whether each invocation starts with a new detector, so that its caches are empty: every
   * request judged as on a first pass over the log (with {@code -p log=} the corpus is shorter
   * than the pool, and replaying it would otherwise find its values cached).
   */
  @Param({"false"})
  public boolean fresh;

  RuleSet ruleSet;
  Detector detector;
  LineParser parser;
  List<String> lines;
  List<Request> requests;
  int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException, Exception {
    List<RuleFile> files = new ArrayList<>();
    String list = resource("rules/default.list");
    for (String l : list.split("\n")) {
      String name = l.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        files.add(new RuleFile(name, resource("rules/" + name)));
      }
    }
    ruleSet = RuleSet.parse(files);
    detector = new Detector(ruleSet);
    if (log.isEmpty()) {
      StringWriter w = new StringWriter();
      new TrafficGenerator(1, YearMonth.of(2013, 2), null, 0.03, "+0000").write(POOL, w);
      lines = List.of(w.toString().split("\n"));
    } else {
      LineParser p = LogFormats.byName("combined").newParser();
      List<String> good = new ArrayList<>();
      for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of(log))) {
        try {
          if (p.parse(l) != null) {
            good.add(l);
          }
        } catch (org.evident.log.BadLineException e) {
          // not a combined-format request line: not judged
        }
      }
      if (good.isEmpty()) {
        throw new IllegalArgumentException(log + " holds no combined-format request line");
      }
      lines = cycled(good);
    }
    parser = LogFormats.byName("combined").newParser();
    requests = new ArrayList<>();
    for (String l : lines) {
      requests.add(parser.parse(l));
    }
  }

  /** The log's lines repeated to {@link #POOL} (a smaller log is replayed whole each time). */
  private static List<String> cycled(List<String> log) {
    List<String> out = new ArrayList<>(POOL);
    while (out.size() < POOL) {
      out.addAll(log.subList(0, Math.min(log.size(), POOL - out.size())));
    }
    return out;
  }

  static String resource(String name) throws IOException {
    try (InputStream in = DetectionBenchmark.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A new detector per invocation of 50,000 requests, when {@link #fresh}. */
  @Setup(Level.Invocation)
  public void freshDetector() {
    if (fresh) {
      detector = new Detector(ruleSet);
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void judge(Blackhole bh) {
    Detector.ThreadJudge judge = detector.forThisThread(); // as a scan's worker, per batch
    for (Request r : requests.subList(next, next + LINES)) {
      bh.consume(judge.judge(r, "shop.example"));
    }
    next = (next + LINES) % POOL;
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void parse(Blackhole bh) throws Exception {
    for (String l : lines.subList(next, next + LINES)) {
      bh.consume(parser.parse(l));
    }
    next = (next + LINES) % POOL;
  }

  /**
   * Each line parsed and then judged at once, as a scan's worker does: the request's strings are
   * still in the processor's caches when the detector reads them, which {@link #judge} (a pool
   * parsed beforehand, hundreds of megabytes) cannot give. Minus {@link #parse}, what detection
   * costs inside a scan.
   */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public void parseAndJudge(Blackhole bh) throws Exception {
    Detector.ThreadJudge judge = detector.forThisThread();
    for (String l : lines.subList(next, next + LINES)) {
      bh.consume(judge.judge(parser.parse(l), "shop.example"));
    }
    next = (next + LINES) % POOL;
  }
}
