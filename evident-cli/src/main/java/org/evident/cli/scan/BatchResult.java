package org.evident.cli.scan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.evident.store.AttackEvent;
import org.evident.store.SourceCommit.SkipKey;
import org.evident.store.SourceCommit.TrafficKey;

/** What a worker made of one batch. */
final class BatchResult {
  final List<AttackEvent> attacks = new ArrayList<>();
  final Map<TrafficKey, long[]> traffic = new HashMap<>();
  private String lastSite;
  private long lastHour = Long.MIN_VALUE;
  private long[] lastCounts;
  private TrafficKey firstPlace;

  /**
   * The {requests, attacks} counters of a site and hour. Consecutive lines nearly always share
   * both, so the last pair is kept: no key made and no map looked up for most lines.
   */
  long[] trafficFor(String site, long hour) {
    if (hour != lastHour || !java.util.Objects.equals(site, lastSite)) {
      lastCounts = traffic.computeIfAbsent(new TrafficKey(site, hour), k -> new long[2]);
      lastSite = site;
      lastHour = hour;
      if (firstPlace == null) {
        firstPlace = new TrafficKey(site, hour);
      }
      if (early != null) { // the batch's first request: the lines skipped before it go here
        early.forEach((reason, n) -> skippedAt.merge(new SkipKey(site, hour, reason), n,
            Long::sum));
        early = null;
      }
    }
    return lastCounts;
  }

  /** The site and hour of the batch's first request, or null when it had none. */
  TrafficKey firstPlace() {
    return firstPlace;
  }

  /** The site and hour of the batch's last request, or null when it had none. */
  TrafficKey lastPlace() {
    return lastCounts == null ? null : new TrafficKey(lastSite, lastHour);
  }

  /**
   * Counts the batch's undated skipped lines at {@code place} instead: a batch with no request
   * in it (a run of garbage longer than a batch, such as the zeros a crash can leave in a log)
   * is counted where the request before it was, which only the scan's in-order step knows; a
   * run at the start of what a scan reads, where the first request after it was.
   */
  void placeUndated(TrafficKey place) {
    for (SkipKey k : List.copyOf(skippedAt.keySet())) {
      if (k.hourMillis() == SkipKey.UNDATED) {
        skippedAt.merge(new SkipKey(place.site(), place.hourMillis(), k.reason()),
            skippedAt.remove(k), Long::sum);
      }
    }
  }

  /**
   * Skipped lines by reason, placed at the site and hour of the request before them: what is
   * stored (the scan's summary adds them up by reason).
   */
  final Map<SkipKey, Long> skippedAt = new HashMap<>();
  /** Lines skipped before the batch's first request, by reason, until it comes. */
  private Map<String, Long> early;
  long lines;
  long requests;
  /** Of {@link #attacks}, the behavioural findings (not requests). */
  long findings;
  long endOffset;
  /** The parser's state after the batch's last line (see LineParser.state()); null: stateless. */
  String parserState;
  /** One leaf hash per line (every line, skipped ones too), back to back. */
  byte[] leaves;
  /** Every parsed request, compactly, in line order: what the behavioural detectors watch. */
  final Observations observations;

  BatchResult() {
    this(256);
  }

  /** A result for about {@code lines} lines: its observations need not grow on the way. */
  BatchResult(int lines) {
    observations = new Observations(Math.max(16, lines));
  }

  /** Parallel arrays of the few request fields behaviour needs; paths only where they matter. */
  static final class Observations {
    int count;
    long[] time;
    String[] ip;
    String[] method;
    String[] path;
    int[] status;
    String[] attackClass;
    String[] site;
    long[] line;
    long[] offset;

    Observations(int capacity) {
      time = new long[capacity];
      ip = new String[capacity];
      method = new String[capacity];
      path = new String[capacity];
      status = new int[capacity];
      attackClass = new String[capacity];
      site = new String[capacity];
      line = new long[capacity];
      offset = new long[capacity];
    }

    void add(long t, String i, String m, String p, int st, String cls, String s, long ln,
        long off) {
      if (count == time.length) {
        int n = count * 2;
        time = java.util.Arrays.copyOf(time, n);
        ip = java.util.Arrays.copyOf(ip, n);
        method = java.util.Arrays.copyOf(method, n);
        path = java.util.Arrays.copyOf(path, n);
        status = java.util.Arrays.copyOf(status, n);
        attackClass = java.util.Arrays.copyOf(attackClass, n);
        site = java.util.Arrays.copyOf(site, n);
        line = java.util.Arrays.copyOf(line, n);
        offset = java.util.Arrays.copyOf(offset, n);
      }
      time[count] = t;
      i.hashCode(); // computed here, in parallel: the committing thread's windows key on it
      ip[count] = i;
      method[count] = m;
      path[count] = p;
      status[count] = st;
      attackClass[count] = cls;
      site[count] = s;
      line[count] = ln;
      offset[count] = off;
      count++;
    }
  }

  /** Lines that were not valid UTF-8 but were still parsed, byte for byte. */
  long repaired;
  /** Requests that rules above the paranoia level matched (run by a higher detection level). */
  long unscored;
  /** Of those, the requests not judged attacks that would be, were those rules scored. */
  long unscoredAttacks;

  void skip(String reason) {
    if (lastCounts != null) {
      skippedAt.merge(new SkipKey(lastSite, lastHour, reason), 1L, Long::sum);
    } else {
      if (early == null) {
        early = new TreeMap<>();
      }
      early.merge(reason, 1L, Long::sum);
    }
  }

  /** Ends the batch: skipped lines with no request in it are undated, at the source's site. */
  void finish(String defaultSite) {
    if (early != null) {
      early.forEach((reason, n) -> skippedAt.merge(new SkipKey(defaultSite, SkipKey.UNDATED,
          reason), n, Long::sum));
      early = null;
    }
  }
}
