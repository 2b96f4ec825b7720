package org.evident.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evident.detect.Detector;
import org.evident.detect.RuleFile;
import org.evident.detect.RuleSet;
import org.evident.log.Request;

/**
 * Adversarial lines against the built-in rules: backtracking bait, a megabyte of one character,
 * deep and mixed encodings, and lines of random shell and SQL characters that are each new (so
 * no cache and no automaton state built before helps). Prints the slowest judgement of each
 * kind after warm-up; the bar is 50 ms per line. A timing, so a benchmark, not a test. Run with
 * the heap the launcher gives a scan (a large young generation makes single GC pauses of
 * 20-50 ms that land on whichever line is being judged):
 * java -XX:+UseParallelGC -Xmx256m -XX:NewRatio=1 -cp bench/jmh/target/benchmarks.jar
 * org.evident.bench.HostileInput [CRS rules folder] [--after LOG]
 * (with a folder, CRS's rules are loaded beside the built-in ones). With {@code --after}, the
 * first 200,000 requests of a combined log are judged instead of three rounds of the hostile
 * cases, and each case's first judgement is printed too: what a scan that has been running
 * meets, the code ordinary traffic runs compiled and the hostile lines new.
 */
public final class HostileInput {
  /** Time the judging thread itself ran: GC pauses and other threads' work left out. */
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();
  private HostileInput() {}

  public static void main(String[] args) throws Exception {
    String after = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--after") && i + 1 < args.length) {
        after = args[++i];
      } else {
        rest.add(args[i]);
      }
    }
    args = rest.toArray(new String[0]);
    List<RuleFile> files = new ArrayList<>();
    for (String l : DetectionBenchmark.resource("rules/default.list").split("\n")) {
      String name = l.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        files.add(new RuleFile(name, DetectionBenchmark.resource("rules/" + name)));
      }
    }
    if (args.length > 0) {
      try (java.util.stream.Stream<java.nio.file.Path> crs = java.nio.file.Files.list(
          java.nio.file.Path.of(args[0]))) {
        for (java.nio.file.Path p : crs.filter(p -> p.toString().endsWith(".conf")
            || p.toString().endsWith(".data")).sorted().toList()) {
          files.add(new RuleFile(p.getFileName().toString(), java.nio.file.Files.readString(p)));
        }
      }
    }
    Detector d = new Detector(RuleSet.parse(files));
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("1 MB of 'a'", "/?q=" + "a".repeat(1 << 20));
    cases.put("1 MB of quotes", "/?q=" + "'".repeat(1 << 20));
    cases.put("nested-quantifier bait (a+)+b", "/?q=" + "a".repeat(100_000) + "!");
    cases.put("500k '<' without '>'", "/?q=" + "%3C".repeat(500_000));
    cases.put("deep encoding %25 x 200k", "/?q=" + "%25".repeat(200_000) + "27");
    cases.put("1 MB of '${'", "/?q=" + "${".repeat(1 << 19));
    cases.put("alternating union select", "/?q=" + "union%20select%20".repeat(60_000));
    cases.put("100k arguments", "/?" + "a=1&".repeat(100_000));
    cases.put("1 MB '../'", "/" + "../".repeat(350_000));
    cases.put("1 MB user agent of ';'", "/");
    // read in parts (referer_url): up to 1,000 arguments judged apart, and the whole
    cases.put("1 MB referer of '?a=1&' (250k arguments)", "/");
    cases.put("1 MB referer of quotes in one argument", "/");
    // a log that holds the Cookie and Accept headers (%{Cookie}i %{Accept}i)
    Map<String, String> cookies = new LinkedHashMap<>();
    cookies.put("1 MB cookie of 'a=1;' (250k cookies)", "a=1;".repeat(1 << 18));
    cookies.put("1 MB cookie value of quotes", "id=" + "'".repeat(1 << 20));
    cookies.put("1 MB cookie of '${' and an Accept of '() {'", "c=" + "${".repeat(1 << 19));
    List<Request> requests = new ArrayList<>();
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String ua = c.getKey().contains("user agent") ? ";".repeat(1 << 20) : "Mozilla/5.0";
      String referer = !c.getKey().contains("referer") ? null
          : c.getKey().contains("quotes") ? "https://x.example/?q=" + "'".repeat(1 << 20)
          : "https://x.example/?" + "a=1&".repeat(1 << 18);
      requests.add(new Request(0, "192.0.2.1", null, "GET", c.getValue(), "HTTP/1.1", 200, 1,
          referer, ua, null));
    }
    for (Map.Entry<String, String> c : cookies.entrySet()) {
      cases.put(c.getKey(), "/");
      requests.add(new Request(0, "192.0.2.1", null, "GET", "/", "HTTP/1.1", 200, 1, null,
          "Mozilla/5.0", null, java.util.Set.of(), List.of(
              new org.evident.log.HeaderField("cookie", c.getValue()),
              new org.evident.log.HeaderField("accept", "() { :; }; ".repeat(1 << 16)))));
    }
    if (after == null) {
      for (int round = 0; round < 3; round++) {
        for (Request r : requests) {
          judge(d, r); // warm-up: every case, so the first measured is not the JIT's
        }
      }
    } else {
      ordinaryTraffic(d, java.nio.file.Path.of(after), 200_000);
    }
    System.out.println("case | worst of 5 (ms) | worst thread CPU (ms)"
        + (after == null ? "" : " | first judgement: CPU (ms)"));
    int k = 0;
    for (String name : cases.keySet()) {
      Request r = requests.get(k++);
      long worst = 0;
      long worstCpu = 0;
      long firstCpu = -1;
      for (int i = 0; i < 5; i++) {
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        judge(d, r);
        worst = Math.max(worst, System.nanoTime() - t0);
        long cpu = CPU.getCurrentThreadCpuTime() - c0;
        worstCpu = Math.max(worstCpu, cpu);
        firstCpu = firstCpu < 0 ? cpu : firstCpu;
      }
      System.out.printf("%s | %.1f | %.1f%s%n", name, worst / 1e6, worstCpu / 1e6,
          after == null ? "" : String.format(" | %.1f", firstCpu / 1e6));
    }
    // new every time: 300 query values and agents of 8,000 random shell and SQL characters,
    // after 100 others (another seed) that let the JIT compile what such lines run
    randomLines(d, 99, 100);
    long[] worst = randomLines(d, 1, 300);
    System.out.printf("300 new lines of 8,000 random shell/SQL characters | %.1f (mean %.1f)"
        + " | %.1f%n", worst[0] / 1e6, worst[1] / 1e6 / 300, worst[2] / 1e6);
  }

  /** Judges the first {@code n} requests of a combined log, as a scan would have before. */
  private static void ordinaryTraffic(Detector d, java.nio.file.Path log, int n)
      throws Exception {
    org.evident.log.LineParser parser =
        org.evident.log.LogFormats.byName("combined").newParser();
    int judged = 0;
    long t0 = System.nanoTime();
    try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(log)) {
      for (String l; judged < n && (l = in.readLine()) != null; judged++) {
        judge(d, parser.parse(l));
      }
    }
    System.out.printf("judged %,d requests of %s first (%.1f s)%n", judged, log,
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Judges a request as a scan does: the verdict, and the fragment of its first match, which
   * the scan stores (fragments the screens were sure of are located only when read).
   */
  private static void judge(Detector d, Request r) {
    org.evident.detect.Verdict v = d.judge(r, "s");
    if (!v.matches().isEmpty() && v.matches().get(0).fragment() == null) {
      throw new IllegalStateException("a match without a fragment");
    }
  }

  /** Judges {@code n} new random lines; gives the worst wall time, the sum, the worst CPU time. */
  private static long[] randomLines(Detector d, long seed, int n) {
    String alphabet = "abcdehilmnorstuvwxyz '\"\\;|&$()<>=/.{}-_";
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    long[] out = new long[3];
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < 8000; k++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String v = b.toString();
      Request r = new Request(0, "192.0.2.1", null, "GET", "/?q=" + java.net.URLEncoder.encode(v,
          java.nio.charset.StandardCharsets.UTF_8), "HTTP/1.1", 200, 1, null, v, null);
      long c0 = CPU.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      judge(d, r);
      long dt = System.nanoTime() - t0;
      out[0] = Math.max(out[0], dt);
      out[1] += dt;
      out[2] = Math.max(out[2], CPU.getCurrentThreadCpuTime() - c0);
    }
    return out;
  }
}
