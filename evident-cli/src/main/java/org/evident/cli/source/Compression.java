package org.evident.cli.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * How a log file is compressed, told by its first bytes: logrotate names its files as it is
 * configured to ({@code access.log.2.gz}, {@code access.log-20130201}, any {@code compressext}),
 * and its {@code compresscmd} may be gzip, xz or zstd. Every format reads files of several
 * members or frames one after another, as {@code cat a.gz b.gz} makes them.
 */
enum Compression {
  NONE,
  GZIP,
  XZ,
  ZSTD,
  BZIP2;

  /** The compression whose magic bytes {@code head[0, n)} start with. */
  static Compression of(byte[] head, int n) {
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (n >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
        && head[4] == 'Z' && head[5] == 0) {
      return XZ;
    }
    if (n >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    if (n >= 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] >= '1'
        && head[3] <= '9') {
      return BZIP2;
    }
    return NONE;
  }

  /** The bytes {@link #of} needs. */
  static final int MAGIC_BYTES = 6;

  /**
   * The text of a compressed stream.
   *
   * @throws IOException naming the compression, when it is one Evident does not read
   */
  InputStream decompress(InputStream in, String name) throws IOException {
    switch (this) {
      case GZIP -> {
        return new GZIPInputStream(in, 1 << 16);
      }
      case XZ -> {
        return new org.tukaani.xz.XZInputStream(in);
      }
      case ZSTD -> {
        try {
          return new com.github.luben.zstd.ZstdInputStream(in);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
          throw new IOException("it is compressed with zstd, and zstd's library cannot be loaded"
              + " here (" + pipe("zstd -dc", name) + ")");
        }
      }
      case BZIP2 -> throw new IOException("it is compressed with bzip2, which Evident does not"
          + " read (" + pipe("bzcat", name) + ")");
      default -> {
        return in;
      }
    }
  }

  /** What to run instead: the tool's decompressor piped into a scan of standard input. */
  private static String pipe(String tool, String name) {
    return name.equals("-") ? "put " + tool + " before evident in the pipe"
        : tool + " " + name + " | evident scan --site NAME -";
  }
}
