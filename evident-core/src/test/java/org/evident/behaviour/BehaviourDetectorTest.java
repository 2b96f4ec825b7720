package org.evident.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BehaviourDetectorTest {
  static final long T0 = 1_359_885_600_000L; // 2013-02-03T10:00:00Z

  static List<Finding> feed(BehaviourDetector d, int n, long stepMillis, String ip, String method,
      java.util.function.IntFunction<String> path, int status, String cls) {
    return feed(d, T0, 1, n, stepMillis, ip, method, path, status, cls);
  }

  /** {@code n} requests from {@code ip}, the first at {@code start} on line {@code firstLine}. */
  static List<Finding> feed(BehaviourDetector d, long start, long firstLine, int n,
      long stepMillis, String ip, String method, java.util.function.IntFunction<String> path,
      int status, String cls) {
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.addAll(d.observe(start + i * stepMillis, ip, method, path.apply(i), status, cls,
          firstLine + i));
    }
    return out;
  }

  @Test
  void bruteForceNeedsEnoughFailedLoginsInTheWindow() {
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    List<Finding> f = feed(d, 10, 2_000, "198.51.100.7", "POST", i -> "/wp-login.php", 200,
        null);
    assertThat(f).hasSize(1);
    assertThat(f.get(0).attackClass()).isEqualTo("brute-force");
    assertThat(f.get(0).lines()).hasSize(10).startsWith(1L).endsWith(10L);
    assertThat(f.get(0).summary()).contains("10 login attempts", "/wp-login.php");
    // the same pace but slower than the window: nothing
    BehaviourDetector slow = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    assertThat(feed(slow, 30, 7_000, "198.51.100.7", "POST", i -> "/wp-login.php", 401, null))
        .isEmpty();
    // GETs of the login page, or POSTs elsewhere, are not login attempts
    assertThat(feed(new BehaviourDetector(BehaviourConfig.DEFAULTS), 30, 1_000, "198.51.100.7",
        "GET", i -> "/wp-login.php", 200, null)).isEmpty();
    assertThat(feed(new BehaviourDetector(BehaviourConfig.DEFAULTS), 30, 1_000, "198.51.100.7",
        "POST", i -> "/cart/add", 200, null)).isEmpty();
  }

  @Test
  void aFindingIsNotRepeatedForTheSameWindow() {
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    // 40 failed logins in 40 s: one finding per window of 60 s, not 31
    assertThat(feed(d, 40, 1_000, "198.51.100.7", "POST", i -> "/login", 401, null)).hasSize(1);
  }

  @Test
  void enumerationCountsDistinctMissingPaths() {
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    List<Finding> f = feed(d, 25, 500, "203.0.113.9", "GET", i -> "/backup" + i + ".zip", 404,
        null);
    assertThat(f).hasSize(1);
    assertThat(f.get(0).attackClass()).isEqualTo("enumeration");
    assertThat(f.get(0).lines()).hasSize(20);
    // the same missing path again and again is not enumeration
    assertThat(feed(new BehaviourDetector(BehaviourConfig.DEFAULTS), 50, 500, "203.0.113.9",
        "GET", i -> "/favicon.ico", 404, null)).isEmpty();
  }

  @Test
  void scanBreadthNeedsSeveralAttackClasses() {
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    String[] classes = {"sqli", "sqli", "xss", "sqli", "traversal"};
    List<Finding> f = new ArrayList<>();
    for (int i = 0; i < classes.length; i++) {
      f.addAll(d.observe(T0 + i * 10_000L, "192.0.2.50", "GET", "/", 200, classes[i], i + 1));
    }
    assertThat(f).extracting(Finding::attackClass).containsExactly("scan-breadth");
    assertThat(f.get(0).summary()).contains("sqli, traversal, xss");
    assertThat(f.get(0).lines()).containsExactly(1L, 3L, 5L);
  }

  /**
   * Classes leave the breadth window by age (600 s) and by its size (64 attacks): a class seen
   * only before then no longer counts towards the three.
   */
  @Test
  void scanBreadthForgetsClassesThatLeftTheWindow() {
    BehaviourDetector byAge = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    assertThat(byAge.observe(T0, "192.0.2.51", "GET", "/", 200, "xss", 1)).isEmpty();
    assertThat(byAge.observe(T0 + 601_000L, "192.0.2.51", "GET", "/", 200, "sqli", 2)).isEmpty();
    assertThat(byAge.observe(T0 + 602_000L, "192.0.2.51", "GET", "/", 200, "sqli", 3)).isEmpty();
    assertThat(byAge.observe(T0 + 603_000L, "192.0.2.51", "GET", "/", 200, "rfi", 4))
        .as("xss is 603 s old: two classes in the window").isEmpty();
    assertThat(byAge.observe(T0 + 604_000L, "192.0.2.51", "GET", "/", 200, "cmdi", 5))
        .extracting(Finding::summary).singleElement().asString()
        .contains("3 attack classes (cmdi, rfi, sqli)");

    BehaviourDetector bySize = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    List<Finding> f = new ArrayList<>();
    f.addAll(bySize.observe(T0, "192.0.2.52", "GET", "/", 200, "xss", 1));
    for (int i = 0; i < 64; i++) {
      f.addAll(bySize.observe(T0 + 1_000L + i, "192.0.2.52", "GET", "/", 200, "sqli", i + 2));
    }
    f.addAll(bySize.observe(T0 + 2_000L, "192.0.2.52", "GET", "/", 200, "rfi", 66));
    assertThat(f).as("the xss attack was pushed out by 64 later ones").isEmpty();
    assertThat(bySize.observe(T0 + 2_001L, "192.0.2.52", "GET", "/", 200, "xss", 67))
        .extracting(Finding::lines).singleElement().asList().containsExactly(4L, 66L, 67L);
  }

  @Test
  void floodsAreCountedInFixedWindows() {
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    List<Finding> f = feed(d, 1_000, 10, "192.0.2.60", "GET", i -> "/", 200, null);
    assertThat(f).extracting(Finding::attackClass).containsExactly("flood");
    assertThat(f.get(0).lines()).hasSize(20);
    assertThat(feed(new BehaviourDetector(BehaviourConfig.DEFAULTS), 1_000, 100, "192.0.2.60",
        "GET", i -> "/", 200, null)).isEmpty();
  }

  @Test
  void aFloodAmongOtherSourcesIsCountedFromItsWindowsStart() {
    // a window is only counted per source once it holds 600 requests: the flooding source's
    // first requests, sent before that among 400 of others, still count and are listed
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    List<Finding> f = new ArrayList<>();
    List<Long> floodLines = new ArrayList<>();
    long line = 0;
    for (int i = 0; i < 1_000; i++) {
      boolean flooding = i % 5 != 0 || i >= 500; // 400 of the first 500, then every one
      String ip = flooding ? "192.0.2.61" : "198.51.100." + (i % 200);
      if (flooding) {
        floodLines.add(line + 1);
      }
      f.addAll(d.observe(T0 + i, ip, "GET", "/", 200, null, ++line));
    }
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.sourceIp()).isEqualTo("192.0.2.61");
      assertThat(x.lines()).isEqualTo(floodLines.subList(0, 20));
      assertThat(x.lastMillis()).as("its 600th request, the window's 700th")
          .isEqualTo(T0 + 699);
    });
    // 599 requests of one source and a thousand of others in one window: no flood
    BehaviourDetector quiet = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    List<Finding> none = new ArrayList<>();
    for (int i = 0; i < 1_599; i++) {
      String ip = i < 599 ? "192.0.2.62" : "198.51.100." + (i % 250);
      none.addAll(quiet.observe(T0 + i, ip, "GET", "/", 200, null, i + 1));
    }
    assertThat(none).isEmpty();
  }

  @Test
  void aLineLoggedLateWithAnHourOldTimeKeepsTheWindowsInProgress() {
    // a request that ran for an hour is logged when it ends, with the time it began
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    List<Finding> f = new ArrayList<>(feed(d, T0, 1, 6, 1_000, "198.51.100.9", "POST",
        i -> "/login", 401, null));
    f.addAll(d.observe(T0 - 3_600_000L, "192.0.2.77", "GET", "/stream", 200, null, 7));
    f.addAll(feed(d, T0 + 6_000L, 8, 6, 1_000, "198.51.100.9", "POST", i -> "/login", 401,
        null));
    assertThat(f).extracting(Finding::attackClass).containsExactly("brute-force");
  }

  @Test
  void restoredWindowsAreDroppedWhenTheNextRequestIsOlderThanTheyReach() {
    // windows carried into a log that turns out older: its requests are not near theirs
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    List<Finding> f = new ArrayList<>(feed(d, T0, 1, 6, 1_000, "198.51.100.8", "POST",
        i -> "/login", 401, null));
    BehaviourDetector carried = BehaviourDetector.restore(BehaviourConfig.DEFAULTS, d.snapshot());
    long dayBefore = T0 - 86_400_000L;
    f.addAll(feed(carried, dayBefore, 1, 6, 1_000, "198.51.100.8", "POST", i -> "/login", 401,
        null));
    assertThat(f).as("six attempts a day apart from six others are no brute force").isEmpty();
    // a few seconds back (a log's lines are written as requests end) is still the same stream
    f.addAll(feed(carried, dayBefore + 3_000L, 7, 5, 1, "198.51.100.8", "POST", i -> "/login",
        401, null));
    assertThat(f).extracting(Finding::attackClass).containsExactly("brute-force");
  }

  /** One request: time offset (ms), source, method, path, status, class. */
  record Req(long dt, String ip, String method, String path, int status, String cls) {}

  /**
   * Bursts that a scan's end cuts in two, with benign traffic and other sources around them:
   * each is the sequence a scan feeds, and the index where the first scan stops.
   */
  static Stream<Arguments> splitBursts() {
    List<Req> brute = new ArrayList<>();
    List<Req> enumeration = new ArrayList<>();
    List<Req> breadth = new ArrayList<>();
    List<Req> flood = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      brute.add(new Req(i * 3_000L, "198.51.100.7", "POST", "/login", 401, null));
      brute.add(new Req(i * 3_000L + 1, "192.0.2." + i, "GET", "/", 200, null));
    }
    for (int i = 0; i < 25; i++) {
      enumeration.add(new Req(i * 1_000L, "203.0.113.9", "GET", "/old" + i + ".zip", 404, null));
    }
    String[] classes = {"sqli", "xss", "sqli", "traversal", "cmdi", "xss", "rfi"};
    for (int i = 0; i < classes.length; i++) {
      breadth.add(new Req(i * 80_000L, "192.0.2.50", "GET", "/", 200, classes[i]));
    }
    for (int i = 0; i < 700; i++) {
      flood.add(new Req(i * 10L, "192.0.2.60", "GET", "/", 200, null));
    }
    return Stream.of(Arguments.of("brute force", brute, 11), Arguments.of("enumeration",
        enumeration, 12), Arguments.of("scan breadth", breadth, 2),
        Arguments.of("flood", flood, 350), Arguments.of("brute force, cut after the finding",
        brute, 22));
  }

  /** What one detector finds over the whole sequence, or two with a snapshot between them. */
  private static List<String> findings(List<Req> reqs, int cut) {
    List<String> out = new ArrayList<>();
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    for (int i = 0; i < reqs.size(); i++) {
      if (i == cut) {
        d = BehaviourDetector.restore(BehaviourConfig.DEFAULTS, d.snapshot());
      }
      Req r = reqs.get(i);
      for (Finding f : d.observe(T0 + r.dt(), r.ip(), r.method(), r.path(), r.status(), r.cls(),
          i + 1)) {
        out.add(f.ruleId() + " " + f.sourceIp() + " " + f.summary() + " " + f.lines());
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("splitBursts")
  void windowsCarriedAcrossScansFindWhatOneScanFinds(String name, List<Req> reqs, int cut) {
    List<String> whole = findings(reqs, -1);
    assertThat(whole).as("the burst makes a finding in one scan").hasSize(1);
    assertThat(findings(reqs, cut)).isEqualTo(whole);
  }

  @Test
  void aSnapshotKeepsOnlyWhatStillCounts() {
    BehaviourDetector d = new BehaviourDetector(BehaviourConfig.DEFAULTS);
    for (int i = 0; i < 1_000; i++) { // one 404 each, long ago: out of every window by the end
      d.observe(T0 + i, "10.0." + (i / 256) + "." + (i % 256), "GET", "/x", 404, null, i);
    }
    d.observe(T0 + 3_600_000L, "192.0.2.9", "GET", "/y", 404, null, 1_001);
    assertThat(d.snapshot()).contains("192.0.2.9").doesNotContain("10.0.0.1\"");
    assertThat(BehaviourDetector.restore(BehaviourConfig.DEFAULTS, "not json").snapshot())
        .as("an unreadable snapshot gives a fresh detector")
        .isEqualTo(new BehaviourDetector(BehaviourConfig.DEFAULTS).snapshot());
  }

  @Test
  void memoryIsBoundedBySourcesAndEvictionsCounted() {
    BehaviourConfig small = new BehaviourConfig(10, 60, 20, 60, 3, 600, 600, 10, 100);
    BehaviourDetector d = new BehaviourDetector(small);
    for (int i = 0; i < 1_000; i++) {
      // only sources that did something a window needs are tracked: here, a 404 each
      d.observe(T0 + i, "10.0." + (i / 256) + "." + (i % 256), "GET", "/x", 404, null, i);
    }
    assertThat(d.evicted()).isEqualTo(900);
    // benign requests are never tracked, however many sources send them
    BehaviourDetector quiet = new BehaviourDetector(small);
    for (int i = 0; i < 1_000; i++) {
      quiet.observe(T0 + i, "10.1." + (i / 256) + "." + (i % 256), "GET", "/", 200, null, i);
    }
    assertThat(quiet.evicted()).isZero();
    // an evicted source starts again from nothing
    List<Finding> f = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      f.addAll(d.observe(T0 + 2_000 + i, "10.0.0.1", "POST", "/login", 401, null, 2_000 + i));
    }
    assertThat(f).isEmpty();
  }
}
