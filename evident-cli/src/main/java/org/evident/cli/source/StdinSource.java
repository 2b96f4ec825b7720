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

  /**
   * The text on standard input; compressed text ({@code cat access.log.2.gz | evident scan -})
   * is decompressed, told by its first bytes as files are.
   */
  @Override
  public InputStream open(long offset) throws java.io.IOException {
    java.io.BufferedInputStream buffered =
        new java.io.BufferedInputStream(new CountingInputStream(in, metrics), 1 << 16);
    buffered.mark(Compression.MAGIC_BYTES);
    byte[] head = buffered.readNBytes(Compression.MAGIC_BYTES);
    buffered.reset();
    return Compression.of(head, head.length).decompress(buffered, "-");
  }

  @Override
  public SourceMetrics metrics() {
    return metrics;
  }
}
