import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.evident.cli.demo.TrafficGenerator;
import org.evident.detect.Detector;
import org.evident.detect.RuleFile;
import org.evident.detect.RuleSet;
import org.evident.log.LineParser;
import org.evident.log.LogFormats;
import org.evident.log.Request;

/**
 * One build's side of {@link DetectAB}: the built-in rules (from the rules/ folder that
 * {@code -Drules} names, each build's own), and with {@code -Dcrs=DIR} a CRS folder's rules beside them, judging the generator's benign-majority month, 400,000 requests. Each pass
 * parses the lines again, untimed: a scan judges new strings, whose hash codes are not yet
 * computed (a pool parsed once would have them cached from its first pass).
 */
public final class DetectABRunner {
  private static Detector detector;
  private static String[] lines;
  private static LineParser parser;
  private static int attacks = -1;

  public static void init() throws Exception {
    Path rules = Path.of(System.getProperty("rules", "rules"));
    List<RuleFile> files = new ArrayList<>();
    for (String line : Files.readAllLines(rules.resolve("default.list"))) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        files.add(new RuleFile(name, Files.readString(rules.resolve(name),
            StandardCharsets.UTF_8)));
      }
    }
    String crs = System.getProperty("crs"); // a CRS folder: its rules are judged beside these
    if (crs != null) {
      try (var listing = Files.list(Path.of(crs, "rules"))) {
        for (Path f : listing.filter(x -> x.toString().endsWith(".conf")
            || x.toString().endsWith(".data")).sorted().toList()) {
          files.add(new RuleFile(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
        }
      }
    }
    detector = new Detector(RuleSet.parse(files));
    StringWriter w = new StringWriter();
    new TrafficGenerator(1, YearMonth.of(2013, 2), null, 0.03, "+0000").write(400_000, w);
    parser = LogFormats.byName("combined").newParser();
    lines = w.toString().split("\n");
  }

  /** One pass over the requests; ns a request. Fails if the two passes disagree on a count. */
  public static double pass() throws Exception {
    List<Request> requests = new ArrayList<>(lines.length);
    for (String line : lines) {
      requests.add(parser.parse(line));
    }
    Detector.ThreadJudge judge = detector.forThisThread();
    int n = 0;
    long start = System.nanoTime();
    for (Request r : requests) {
      n += judge.judge(r, "shop.example").attack() ? 1 : 0;
    }
    double ns = (System.nanoTime() - start) / (double) requests.size();
    if (attacks >= 0 && n != attacks) {
      throw new IllegalStateException("attack count changed between passes: " + attacks
          + " then " + n);
    }
    attacks = n;
    return ns;
  }
}
