package org.evident.detect;

import java.util.Locale;

/** Rule severities and the anomaly score each adds, as the OWASP CRS assigns them. */
public enum Severity {
  CRITICAL(5), ERROR(4), WARNING(3), NOTICE(2);

  private final int score;

  Severity(int score) {
    this.score = score;
  }

  public int score() {
    return score;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a severity name, case-insensitively. */
  public static Severity parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown severity '" + s
          + "'; use critical, error, warning or notice");
    }
  }
}
