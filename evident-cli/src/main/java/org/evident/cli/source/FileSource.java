package org.evident.cli.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.evident.evidence.Merkle;

/**
 * A log file on disk, plain or compressed with gzip, xz or zstd (recognised by its magic bytes,
 * not its name; see {@link Compression}).
 */
public final class FileSource implements LogSource {
  private final Path path;
  private final String name;
  private final SourceMetrics metrics = new SourceMetrics();

  public FileSource(Path path, String name) {
    this.path = path;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean remembered() {
    return true;
  }

  @Override
  public long size() {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return -1;
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public boolean appendable() {
    try {
      return !compressed();
    } catch (IOException e) {
      return false; // unreadable: opening it says why
    }
  }

  @Override
  public java.time.Instant modified() {
    try {
      return Files.getLastModifiedTime(path).toInstant();
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether the file is compressed (its first bytes read once: asked several times a scan). */
  public boolean compressed() throws IOException {
    return compression() != Compression.NONE;
  }

  private Compression compression() throws IOException {
    if (compression == null) {
      try (InputStream in = Files.newInputStream(path)) {
        byte[] head = in.readNBytes(Compression.MAGIC_BYTES);
        compression = Compression.of(head, head.length);
      }
    }
    return compression;
  }

  private Compression compression;

  @Override
  public String fingerprint(long n) throws IOException {
    if (!compressed()) {
      return onDisk(n);
    }
    int want = (int) Math.min(n, 1 << 20);
    byte[] text = new byte[want];
    int got = 0;
    try (InputStream in = compression().decompress(Files.newInputStream(path), name)) {
      while (got < want) {
        int r = in.read(text, got, want - got);
        if (r < 0) {
          break;
        }
        got += r;
      }
    } catch (IOException e) {
      // a file cut short or garbled: its fingerprint is that of what can be read, every time
    }
    return sha256(text, got);
  }

  @Override
  public java.util.List<String> fingerprints(long n) throws IOException {
    return compressed() ? java.util.List.of(fingerprint(n), onDisk(n))
        : java.util.List.of(onDisk(n));
  }

  /** Of the first {@code n} bytes as stored on disk. */
  private String onDisk(long n) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buf = in.readNBytes((int) Math.min(n, 1 << 20));
      return sha256(buf, buf.length);
    }
  }

  private static String sha256(byte[] b, int len) {
    MessageDigest md = Merkle.sha256();
    md.update(b, 0, len);
    return HexFormat.of().formatHex(md.digest());
  }

  @Override
  public InputStream open(long offset) throws IOException {
    if (compressed()) {
      InputStream in = compression().decompress(
          new CountingInputStream(Files.newInputStream(path), metrics), name);
      // a log compressed by its rotation may hold no more than was read from it before
      // (its text ends at the offset): then there is nothing left, which is no error
      for (long left = offset; left > 0; ) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            break;
          }
          skipped = 1;
        }
        left -= skipped;
      }
      return in;
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    ch.position(offset);
    metrics.addRawBytes(offset);
    return new CountingInputStream(Channels.newInputStream(ch), metrics);
  }

  @Override
  public SourceMetrics metrics() {
    return metrics;
  }
}
