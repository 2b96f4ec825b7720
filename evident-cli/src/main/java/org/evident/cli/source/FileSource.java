package org.evident.cli.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/** A log file on disk, plain or gzip-compressed (recognised by its magic bytes, not its name). */
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

  /** Whether the file starts with the gzip magic bytes. */
  public boolean compressed() throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  @Override
  public String fingerprint(long n) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = in.readNBytes((int) Math.min(n, 1 << 20));
      md.update(buf);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public InputStream open(long offset) throws IOException {
    if (compressed()) {
      InputStream in = new GZIPInputStream(
          new CountingInputStream(Files.newInputStream(path), metrics), 1 << 16);
      in.skipNBytes(offset);
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
