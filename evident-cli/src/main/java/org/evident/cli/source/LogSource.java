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

  /**
   * Whether this is a file a server appends to, a line at a time, whose offsets are its bytes on
   * disk (a plain file; not standard input, nor a compressed file, which end where they end).
   */
  default boolean appendable() {
    return false;
  }

  /** When the source was last written, or null when unknown. */
  default java.time.Instant modified() {
    return null;
  }

  /**
   * SHA-256 (hex) of the first {@code n} bytes of the log text (decompressed), or of as many as
   * can be read; only for remembered sources. Of the text, not of the bytes on disk, so that a
   * log compressed by its rotation is known for the log it was.
   */
  String fingerprint(long n) throws IOException;

  /**
   * Every fingerprint the store may know this source by: {@link #fingerprint}, and for a
   * compressed file also that of its first bytes on disk, which Evident stored before it
   * fingerprinted text (schema 4).
   */
  default java.util.List<String> fingerprints(long n) throws IOException {
    return java.util.List.of(fingerprint(n));
  }

  /**
   * Opens the log text (decompressed) at a byte offset.
   *
   * @param offset bytes of log text to skip
   */
  InputStream open(long offset) throws IOException;

  /** Bytes read so far from the underlying storage, for progress. */
  SourceMetrics metrics();
}
