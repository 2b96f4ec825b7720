package org.evident.behaviour;

/**
 * Thresholds of the behavioural detectors: within {@code *Seconds}, at least {@code *Count}
 * events from one source make a finding.
 *
 * @param maxSources sources tracked at once; the least recently seen is evicted (counted)
 */
public record BehaviourConfig(
    int bruteForceCount, int bruteForceSeconds,
    int enumerationCount, int enumerationSeconds,
    int breadthClasses, int breadthSeconds,
    int floodCount, int floodSeconds,
    int maxSources) {

  /** Defaults in the range fail2ban and CrowdSec scenarios use for web logs. */
  public static final BehaviourConfig DEFAULTS =
      new BehaviourConfig(10, 60, 20, 60, 3, 600, 600, 10, 100_000);
}
