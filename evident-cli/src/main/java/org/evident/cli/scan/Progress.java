package org.evident.cli.scan;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on standard error: lines, lines per second, bytes and ETA. Shown
 * only on a terminal and never with {@code --quiet}, so pipes and logs stay clean.
 */
public final class Progress {
  private final PrintStream err;
  private final boolean enabled;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private int lastWidth;

  public Progress(PrintStream err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Redraws at most five times a second. */
  public void update(String source, long lines, long bytes, long totalBytes) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    double secs = Math.max(1e-3, (now - startNanos) / 1e9);
    double rate = lines / secs;
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s lines  %s lines/s  %s", count(lines), count(rate),
        bytes(bytes)));
    if (totalBytes > 0) {
      double frac = Math.min(1.0, (double) bytes / totalBytes);
      int filled = (int) (frac * 20);
      b.insert(0, "[" + "#".repeat(filled) + " ".repeat(20 - filled) + "] ");
      b.append(" / ").append(bytes(totalBytes));
      if (frac > 0.01) {
        long eta = (long) (secs / frac - secs);
        b.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
      }
    }
    String name = source.length() > 30 ? "…" + source.substring(source.length() - 29) : source;
    b.append("  ").append(org.evident.report.TerminalText.safe(name));
    String s = b.toString();
    err.print("\r" + s + " ".repeat(Math.max(0, lastWidth - s.length())));
    lastWidth = s.length();
    err.flush();
  }

  /** Clears the line before the summary is printed. */
  public void finish() {
    if (enabled && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
    }
  }

  static String count(double n) {
    if (n >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", n / 1e6);
    }
    if (n >= 1e4) {
      return String.format(Locale.ROOT, "%.0fk", n / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", n);
  }

  static String bytes(long n) {
    if (n >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
    }
    if (n >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
  }
}
