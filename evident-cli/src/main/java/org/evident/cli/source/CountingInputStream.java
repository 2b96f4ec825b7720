package org.evident.cli.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read through it into a {@link SourceMetrics}. */
final class CountingInputStream extends FilterInputStream {
  private final SourceMetrics metrics;

  CountingInputStream(InputStream in, SourceMetrics metrics) {
    super(in);
    this.metrics = metrics;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      metrics.addRawBytes(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      metrics.addRawBytes(n);
    }
    return n;
  }
}
