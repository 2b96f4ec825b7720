package org.evident.cli.source;

import java.io.IOException;
import java.io.InputStream;

/**
 * One input of log lines. Every source kind (file, compressed file, standard input; later live
 * tails and syslog) implements this, so the scan treats them all alike.
 */
public interface LogSource {

  /** The name used in reports and in the store: the path as given, or {@code -}. */
  String name();

  /** Whether the store remembers how far this source was read (files yes, stdin no). */
  boolean remembered();

  /** Size in bytes on disk, or -1 when unknown. */
  long size();

  /** SHA-256 (hex) of the first {@code n} bytes as stored on disk; only for remembered sources. */
  String fingerprint(long n) throws IOException;

  /**
   * Opens the log text (decompressed) at a byte offset.
   *
   * @param offset bytes of log text to skip
   */
  InputStream open(long offset) throws IOException;

  /** Bytes read so far from the underlying storage, for progress. */
  SourceMetrics metrics();
}
