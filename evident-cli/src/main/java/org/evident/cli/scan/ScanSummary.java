package org.evident.cli.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Totals of one {@code scan} run, for the closing lines and the exit code. */
public final class ScanSummary {
  public long sources;
  public long unchangedSources;
  public long lines;
  public long requests;
  public long attacks;
  public long repaired;
  /**
   * Requests matched by rules above the paranoia level, which a higher detection paranoia level
   * runs without scoring; and of them, those that would be attacks were the rules scored.
   */
  public long unscored;
  public long unscoredAttacks;
  /** Behavioural findings (brute force, enumeration, scan breadth, floods) stored as attacks. */
  public long behaviour;
  /** Sources the behavioural detectors dropped to stay within their memory bound. */
  public long evictedSources;
  public final Map<String, Long> skipped = new TreeMap<>();
  public final List<String> problems = new ArrayList<>();
  public final List<String> notes = new ArrayList<>();

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Nothing could be read: no request parsed and something went wrong. */
  public boolean nothingRead() {
    return requests == 0 && (lines > 0 || !problems.isEmpty()) && unchangedSources == 0;
  }
}
