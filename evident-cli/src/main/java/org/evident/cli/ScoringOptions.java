package org.evident.cli;

import org.evident.detect.Detector;
import org.evident.detect.RuleSet;
import picocli.CommandLine.Option;

/**
 * The {@code --paranoia}, {@code --detection-paranoia} and {@code --threshold} options of the
 * commands that judge requests, and the detector they make: a flag wins over the rule files'
 * settings (a YAML file's {@code settings:}, CRS's crs-setup.conf), which win over Evident's
 * defaults, 1 and 5 as the OWASP CRS (the detection level defaults to the paranoia level).
 */
final class ScoringOptions {
  @Option(names = "--paranoia", paramLabel = "N",
      description = "Paranoia level 1-4: higher runs more rules and flags more, benign traffic"
          + " included (default: the rule files' settings, else 1).")
  Integer paranoia;

  @Option(names = "--threshold", paramLabel = "N",
      description = "Anomaly score that makes a request an attack (default: the rule files'"
          + " settings, else 5: one critical match).")
  Integer threshold;

  @Option(names = "--detection-paranoia", paramLabel = "N",
      description = "Also run the rules above the paranoia level up to this level (1-4), without"
          + " scoring them: explain lists what they match, scan counts the requests they would"
          + " make attacks; no stored count changes (as CRS's tx.detection_paranoia_level;"
          + " default: the rule files' settings, else the paranoia level).")
  Integer detectionParanoia;

  /** Refuses flag values out of range, before a command starts any work. */
  void check() {
    if (paranoia != null && (paranoia < 1 || paranoia > 4)) {
      throw new UsageException("--paranoia must be 1, 2, 3 or 4");
    }
    if (detectionParanoia != null && (detectionParanoia < 1 || detectionParanoia > 4)) {
      throw new UsageException("--detection-paranoia must be 1, 2, 3 or 4");
    }
    if (threshold != null && threshold < 1) {
      throw new UsageException("--threshold must be at least 1");
    }
  }

  Detector detector(RuleSet rules) {
    check();
    int level = firstOf(paranoia, rules.paranoia(), Detector.DEFAULT_PARANOIA);
    int score = firstOf(threshold, rules.threshold(), Detector.DEFAULT_THRESHOLD);
    // below the paranoia level, the detection level is raised to it (as CRS's 901 does)
    int detection = Math.max(level, firstOf(detectionParanoia, rules.detectionParanoia(), level));
    Detector made = this == PRELOAD ? null : RuleSources.preloadedDetector(rules);
    if (made != null && made.threshold() == score && made.paranoia() == level
        && made.detectionParanoia() == detection) {
      return made;
    }
    PrefilterCache cache = RuleSources.prefilterCache();
    cache.reuseIn(rules);
    Detector d = new Detector(rules, score, level, detection);
    cache.keep(rules);
    return d;
  }

  /** No flags: the scoring the rule files' settings give, which the preload makes. */
  static final ScoringOptions PRELOAD = new ScoringOptions();

  private static int firstOf(Integer flag, Integer files, int otherwise) {
    return flag != null ? flag : files != null ? files : otherwise;
  }
}
