package org.evident.cli.source;

import java.util.concurrent.atomic.AtomicLong;

/** Counters a source keeps while it is read; read by the progress display from another thread. */
public final class SourceMetrics {
  private final AtomicLong rawBytes = new AtomicLong();

  public void addRawBytes(long n) {
    rawBytes.addAndGet(n);
  }

  /** Bytes read from disk (compressed bytes for .gz). */
  public long rawBytes() {
    return rawBytes.get();
  }
}
