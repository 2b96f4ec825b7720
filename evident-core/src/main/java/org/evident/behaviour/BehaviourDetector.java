package org.evident.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.evident.json.JsonTrees;

/**
 * Windowed, per-source detectors over requests seen in log order: login brute force (failed
 * POSTs to login-like paths), directory and file enumeration (404s over distinct paths),
 * vulnerability-scan breadth (several attack classes) and floods (many requests). Memory is
 * bounded: at most {@link BehaviourConfig#maxSources} sources (least recently seen evicted,
 * counted), and only for sources that sent a failed login, a 404 or an attack; the login and
 * 404 windows hold at most their thresholds of entries, the class window 64; floods are counted
 * in fixed windows over the sources active in the current one. Not thread-safe: one
 * instance per ordered stream. Its windows can be carried from one scan of a growing log to the
 * next ({@link #snapshot}, {@link #restore}), so that a burst a scan's end cut in two is one.
 */
public final class BehaviourDetector {
  private static final Set<Integer> FAILED_LOGIN = Set.of(200, 401, 403, 429);
  private static final String[] LOGIN_PATHS = {"login", "signin", "sign-in", "logon",
      "wp-login.php", "xmlrpc.php", "auth", "session", "user/password", "administrator"};

  private final BehaviourConfig cfg;
  /** How far back in time any window reaches. */
  private final long longestSpanMillis;
  private final LinkedHashMap<String, Source> sources;
  private long evicted;
  private long floodWindow = Long.MIN_VALUE;
  /** The newest request time seen: what {@link #snapshot} measures the windows' ages from. */
  private long newest = Long.MIN_VALUE;
  private final java.util.HashMap<String, long[]> floodCounts = new java.util.HashMap<>();
  /**
   * The current flood window's requests (source, line) while it holds fewer than
   * {@link BehaviourConfig#floodCount} of them: no source can have sent that many yet, so they
   * are only kept, and counted per source when the window reaches that many. Most windows of
   * most sites never do, and counting every request cost a map lookup and two objects each.
   */
  private String[] windowIps = new String[16];
  private long[] windowLines = new long[16];
  private int windowSize;
  /** Whether {@link #floodCounts} holds the current window's counts (else the lists above). */
  private boolean floodCounted;
  /** Whether windows were restored and no request has been observed since (see restart). */
  private boolean restored;

  public BehaviourDetector(BehaviourConfig cfg) {
    this.cfg = cfg;
    this.longestSpanMillis = 1000L * Math.max(Math.max(cfg.bruteForceSeconds(),
        cfg.enumerationSeconds()), Math.max(cfg.breadthSeconds(), cfg.floodSeconds()));
    this.sources = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Source> e) {
        if (size() > cfg.maxSources()) {
          evicted++;
          return true;
        }
        return false;
      }
    };
  }

  /** Sources dropped to keep memory bounded; their windows restart if they come back. */
  public long evicted() {
    return evicted;
  }

  /** One window of one detector for one source: times and line numbers, oldest first. */
  private static final class Window {
    final ArrayDeque<long[]> events = new ArrayDeque<>();
    long quietUntil = Long.MIN_VALUE;

    /** Adds an event, drops those older than the span, and says whether the count is reached. */
    boolean add(long t, long line, int span, int count) {
      events.addLast(new long[] {t, line});
      while (!events.isEmpty() && events.peekFirst()[0] < t - span * 1000L) {
        events.removeFirst();
      }
      while (events.size() > count) {
        events.removeFirst();
      }
      return events.size() >= count && t >= quietUntil;
    }

    List<Long> lines() {
      List<Long> out = new ArrayList<>();
      events.forEach(e -> out.add(e[1]));
      return out;
    }

    long first() {
      return events.peekFirst()[0];
    }

    /** After a finding, the same source needs a fresh window to make another. */
    void fired(long t, int span) {
      events.clear();
      quietUntil = t + span * 1000L;
    }
  }

  /** One source's state; its windows are made on first use, as most sources never need one. */
  private static final class Source {
    Window logins;
    Window notFound;
    Set<String> notFoundPaths;
    Classes classes;
  }

  /** An attack in the class window: when, its line, its class. */
  private record Seen(long t, long line, String attackClass) {}

  /**
   * The attacks of one source in the breadth window (at most {@link #MAX}), with how many of
   * each class it holds: the number of distinct classes is known without walking the window,
   * which a scanner's every request would otherwise do.
   */
  private static final class Classes {
    static final int MAX = 64;
    final ArrayDeque<Seen> seen = new ArrayDeque<>();
    final Map<String, Integer> counts = new java.util.HashMap<>();
    long quietUntil = Long.MIN_VALUE;

    void add(Seen e, long oldest) {
      seen.addLast(e);
      counts.merge(e.attackClass(), 1, Integer::sum);
      while (!seen.isEmpty() && seen.peekFirst().t() < oldest) {
        removeFirst();
      }
      while (seen.size() > MAX) {
        removeFirst();
      }
    }

    private void removeFirst() {
      counts.compute(seen.removeFirst().attackClass(), (k, n) -> n == 1 ? null : n - 1);
    }

    /** The line of each class's first attack in the window, in window order. */
    List<Long> firstLines() {
      Set<String> distinct = new HashSet<>();
      List<Long> lines = new ArrayList<>();
      for (Seen e : seen) {
        if (distinct.add(e.attackClass())) {
          lines.add(e.line());
        }
      }
      return lines;
    }

    void clear() {
      seen.clear();
      counts.clear();
    }
  }

  /**
   * Observes one request; returns the findings it completes (usually none).
   *
   * @param attackClass the class the rules gave it, or null for a benign request
   */
  public List<Finding> observe(long t, String ip, String method, String path, int status,
      String attackClass, long line) {
    if (restored) {
      restored = false;
      if (t < newest - longestSpanMillis) {
        restart(); // older than the restored windows reach: another period, not their sequel
      }
    }
    newest = Math.max(newest, t);
    List<Finding> out = flood(t, ip, line);
    boolean login = "POST".equals(method) && FAILED_LOGIN.contains(status) && loginLike(path);
    if (!login && status != 404 && attackClass == null) {
      return out == null ? List.of() : out; // most requests: nothing a window needs
    }
    Source s = sources.computeIfAbsent(ip, k -> new Source());
    if (login) {
      out = add(out, login(s, t, ip, path, status, line));
    }
    if (status == 404) {
      out = add(out, notFound(s, t, ip, path, line));
    }
    if (attackClass != null && !attackClass.equals("scanner")) {
      out = add(out, breadth(s, t, ip, attackClass, line));
    }
    return out == null ? List.of() : out;
  }

  /**
   * Drops every window. Windows assume time goes forward: restored windows whose next request
   * is older than they reach (carried into a log of another period, a file that turns out
   * older) would otherwise count that log's requests with events that are not near them, and
   * make findings of them. Only the first request after a restore is checked: within one log a
   * line may be far older than the one before it (a request that ran for an hour is logged
   * when it ends, with the time it began), and that is no reason to drop what is in progress.
   */
  private void restart() {
    sources.clear();
    startFloodWindow(Long.MIN_VALUE);
    newest = Long.MIN_VALUE;
  }

  /** Makes {@code window} the current flood window, with nothing in it yet. */
  private void startFloodWindow(long window) {
    floodWindow = window;
    floodCounts.clear();
    java.util.Arrays.fill(windowIps, 0, windowSize, null);
    windowSize = 0;
    floodCounted = false;
  }

  /*
   * Each detector is a method of its own: the scan's committing thread calls observe for every
   * request, and the JIT compiles a small method that calls them far sooner and more cheaply
   * than one holding all their string building.
   */

  private Finding login(Source s, long t, String ip, String path, int status, long line) {
    if (s.logins == null) {
      s.logins = new Window();
    }
    if (!s.logins.add(t, line, cfg.bruteForceSeconds(), cfg.bruteForceCount())) {
      return null;
    }
    Finding f = new Finding(ip, "brute-force", "EV-B-001", s.logins.events.size()
        + " login attempts (POST " + path + ", status " + status + ") within "
        + cfg.bruteForceSeconds() + " s", s.logins.first(), t, s.logins.lines());
    s.logins.fired(t, cfg.bruteForceSeconds());
    return f;
  }

  private Finding notFound(Source s, long t, String ip, String path, long line) {
    if (s.notFound == null) {
      s.notFound = new Window();
      s.notFoundPaths = new HashSet<>();
    }
    if (s.notFound.events.isEmpty()) {
      s.notFoundPaths.clear();
    }
    if (path == null || s.notFoundPaths.size() >= cfg.enumerationCount()
        || !s.notFoundPaths.add(path)
        || !s.notFound.add(t, line, cfg.enumerationSeconds(), cfg.enumerationCount())) {
      return null;
    }
    Finding f = new Finding(ip, "enumeration", "EV-B-002", s.notFound.events.size()
        + " requests for distinct missing paths (404) within " + cfg.enumerationSeconds()
        + " s", s.notFound.first(), t, s.notFound.lines());
    s.notFound.fired(t, cfg.enumerationSeconds());
    s.notFoundPaths.clear();
    return f;
  }

  private Finding breadth(Source s, long t, String ip, String attackClass, long line) {
    if (s.classes == null) {
      s.classes = new Classes();
    }
    Classes c = s.classes;
    c.add(new Seen(t, line, attackClass), t - cfg.breadthSeconds() * 1000L);
    if (c.counts.size() < cfg.breadthClasses() || t < c.quietUntil) {
      return null;
    }
    Finding f = new Finding(ip, "scan-breadth", "EV-B-003", c.counts.size()
        + " attack classes (" + String.join(", ", new java.util.TreeSet<>(c.counts.keySet()))
        + ") within " + cfg.breadthSeconds() + " s", c.seen.peekFirst().t(), t,
        c.firstLines());
    c.clear();
    c.quietUntil = t + cfg.breadthSeconds() * 1000L;
    return f;
  }

  /**
   * Floods: requests per source in fixed windows aligned to the window length, counted in a map
   * of the current window only (the sources active in it), with each source's first 20 lines;
   * a window is only counted once it holds enough requests for a flood (see windowIps).
   */
  private List<Finding> flood(long t, String ip, long line) {
    long window = Math.floorDiv(t, cfg.floodSeconds() * 1000L);
    if (window != floodWindow) {
      startFloodWindow(window);
    }
    if (!floodCounted) {
      if (windowSize + 1 < cfg.floodCount()) {
        if (windowSize == windowIps.length) {
          windowIps = java.util.Arrays.copyOf(windowIps, 2 * windowSize);
          windowLines = java.util.Arrays.copyOf(windowLines, 2 * windowSize);
        }
        windowIps[windowSize] = ip;
        windowLines[windowSize++] = line;
        return null;
      }
      countWindow();
    }
    long[] c = count(floodCounts, ip, line);
    if (c[0] != cfg.floodCount()) {
      return null;
    }
    List<Long> first = new ArrayList<>();
    for (int k = 0; k < Math.min(20, c[0]); k++) {
      first.add(c[1 + k]);
    }
    List<Finding> out = new ArrayList<>();
    out.add(new Finding(ip, "flood", "EV-B-004", c[0] + " requests within "
        + cfg.floodSeconds() + " s (first 20 lines listed)",
        window * cfg.floodSeconds() * 1000L, t, first));
    return out;
  }

  /** Counts the current window per source from now on, its kept requests first. */
  private void countWindow() {
    countKept(floodCounts);
    java.util.Arrays.fill(windowIps, 0, windowSize, null);
    windowSize = 0;
    floodCounted = true;
  }

  /** The current window's counts per source, without counting it in place (see snapshot). */
  private java.util.Map<String, long[]> windowCounts() {
    return floodCounted ? floodCounts : countKept(new java.util.HashMap<>());
  }

  /** Adds the current window's kept requests, in the order they came, to {@code counts}. */
  private java.util.Map<String, long[]> countKept(java.util.Map<String, long[]> counts) {
    for (int k = 0; k < windowSize; k++) {
      count(counts, windowIps[k], windowLines[k]);
    }
    return counts;
  }

  /**
   * Counts one request of {@code ip} in the current window: per source its count, then its
   * first 20 lines, with room for them made as they come (most sources send one or two
   * requests in a window).
   */
  private static long[] count(java.util.Map<String, long[]> counts, String ip, long line) {
    long[] c = counts.get(ip);
    if (c == null) {
      c = new long[4];
      counts.put(ip, c);
    }
    if (c[0] < 20) {
      int at = 1 + (int) c[0];
      if (at == c.length) {
        c = java.util.Arrays.copyOf(c, Math.min(21, 2 * c.length));
        counts.put(ip, c);
      }
      c[at] = line;
    }
    c[0]++;
    return c;
  }

  private static final int SNAPSHOT_VERSION = 1;

  /**
   * The windows as text (JSON), for {@link #restore} in the next scan of the same log. Events
   * that have left their window by the newest request seen are left out, and the sources left
   * with nothing, so what is kept is bounded by the windows' spans as well as by
   * {@link BehaviourConfig#maxSources}.
   */
  public String snapshot() {
    ObjectNode root = JsonTrees.object();
    root.put("v", SNAPSHOT_VERSION);
    root.put("newest", newest);
    root.put("floodWindow", floodWindow);
    ArrayNode flood = root.putArray("flood");
    // counted aside, not in place: switching the window to counting at every commit sent the
    // scan down a path the JIT had compiled away, and it recompiled the scan's loop
    windowCounts().forEach((ip, c) -> {
      ArrayNode e = flood.addArray().add(ip);
      for (int k = 0; k < Math.min(c.length, 1 + Math.min(20, (int) c[0])); k++) {
        e.add(c[k]);
      }
    });
    ArrayNode list = root.putArray("sources");
    sources.forEach((ip, s) -> { // least recently seen first, as they are restored
      ObjectNode o = JsonTrees.object();
      boolean keep = window(o, "logins", s.logins, cfg.bruteForceSeconds());
      if (window(o, "notFound", s.notFound, cfg.enumerationSeconds())) {
        keep = true;
        s.notFoundPaths.forEach(o.putArray("paths")::add);
      }
      if (s.classes != null) {
        long oldest = newest - cfg.breadthSeconds() * 1000L;
        ArrayNode seen = JsonTrees.array();
        for (Seen e : s.classes.seen) {
          if (e.t() >= oldest) {
            seen.addArray().add(e.t()).add(e.line()).add(e.attackClass());
          }
        }
        if (!seen.isEmpty() || s.classes.quietUntil > newest) {
          keep = true;
          o.put("classesQuiet", s.classes.quietUntil);
          o.set("classes", seen);
        }
      }
      if (keep) {
        o.put("ip", ip);
        list.add(o);
      }
    });
    return JsonTrees.write(root);
  }

  /** Adds window {@code w} to {@code o} if anything of it still counts; says whether it did. */
  private boolean window(ObjectNode o, String name, Window w,
      int span) {
    if (w == null) {
      return false;
    }
    ArrayNode events = JsonTrees.array();
    for (long[] e : w.events) {
      if (e[0] >= newest - span * 1000L) {
        events.add(e[0]).add(e[1]);
      }
    }
    if (events.isEmpty() && w.quietUntil <= newest) {
      return false;
    }
    o.put(name + "Quiet", w.quietUntil);
    o.set(name, events);
    return true;
  }

  /**
   * A detector with the windows of {@code snapshot} (from {@link #snapshot}), or a fresh one
   * when it is null or cannot be read (written by another version): windows then restart, as
   * they did before snapshots were kept.
   */
  public static BehaviourDetector restore(BehaviourConfig cfg, String snapshot) {
    BehaviourDetector d = new BehaviourDetector(cfg);
    if (snapshot == null) {
      return d;
    }
    try {
      JsonNode root = JsonTrees.read(snapshot);
      if (root.path("v").asInt() != SNAPSHOT_VERSION) {
        return d;
      }
      d.newest = root.path("newest").asLong(Long.MIN_VALUE);
      d.restored = d.newest != Long.MIN_VALUE;
      d.floodWindow = root.path("floodWindow").asLong(Long.MIN_VALUE);
      for (JsonNode e : root.path("flood")) {
        long[] c = new long[Math.max(4, e.size())];
        for (int k = 1; k < e.size(); k++) {
          c[k - 1] = e.get(k).asLong();
        }
        d.floodCounts.put(e.get(0).asText(), c);
      }
      d.floodCounted = true;
      for (JsonNode o : root.path("sources")) {
        Source s = new Source();
        s.logins = restored(o, "logins");
        s.notFound = restored(o, "notFound");
        if (s.notFound != null) {
          s.notFoundPaths = new HashSet<>();
          o.path("paths").forEach(p -> s.notFoundPaths.add(p.asText()));
        }
        if (o.has("classes")) {
          s.classes = new Classes();
          for (JsonNode e : o.get("classes")) {
            s.classes.add(new Seen(e.get(0).asLong(), e.get(1).asLong(), e.get(2).asText()),
                Long.MIN_VALUE);
          }
          s.classes.quietUntil = o.path("classesQuiet").asLong(Long.MIN_VALUE);
        }
        d.sources.put(o.path("ip").asText(), s);
      }
      return d;
    } catch (IOException | RuntimeException e) {
      return new BehaviourDetector(cfg);
    }
  }

  private static Window restored(JsonNode o, String name) {
    if (!o.has(name)) {
      return null;
    }
    Window w = new Window();
    JsonNode events = o.get(name);
    for (int k = 0; k + 1 < events.size(); k += 2) {
      w.events.addLast(new long[] {events.get(k).asLong(), events.get(k + 1).asLong()});
    }
    w.quietUntil = o.path(name + "Quiet").asLong(Long.MIN_VALUE);
    return w;
  }

  private static boolean loginLike(String path) {
    if (path == null) {
      return false;
    }
    String p = path.toLowerCase(Locale.ROOT);
    for (String l : LOGIN_PATHS) {
      if (p.contains(l)) {
        return true;
      }
    }
    return false;
  }

  private static List<Finding> add(List<Finding> out, Finding f) {
    if (f == null) {
      return out;
    }
    List<Finding> l = out == null ? new ArrayList<>() : out;
    l.add(f);
    return l;
  }
}
