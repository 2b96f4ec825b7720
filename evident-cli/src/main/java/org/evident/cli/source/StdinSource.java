package org.evident.cli.source;

import java.io.InputStream;

/** Standard input ({@code -}): read once, never remembered, so a re-run adds its lines again. */
public final class StdinSource implements LogSource {
  private final InputStream in;
  private final SourceMetrics metrics = new SourceMetrics();

  public StdinSource(InputStream in) {
    this.in = in;
  }

  @Override
  public String name() {
    return "-";
  }

  @Override
  public boolean remembered() {
    return false;
  }

  @Override
  public long size() {
    return -1;
  }

  @Override
  public String fingerprint(long n) {
    throw new UnsupportedOperationException("standard input has no fingerprint");
  }

  @Override
  public InputStream open(long offset) {
    return new CountingInputStream(in, metrics);
  }

  @Override
  public SourceMetrics metrics() {
    return metrics;
  }
}
