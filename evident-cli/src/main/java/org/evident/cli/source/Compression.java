package org.evident.cli.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * How a log file is compressed, told by its first bytes: logrotate names its files as it is
 * configured to ({@code access.log.2.gz}, {@code access.log-20130201}, any {@code compressext}),
 * and its {@code compresscmd} may be gzip, xz, zstd or bzip2. Every format reads files of several
 * members, frames or streams one after another, as {@code cat a.gz b.gz} makes them.
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
   * @throws IOException naming the compression, when it cannot be read here
   */
  InputStream decompress(InputStream in, String name) throws IOException {
    switch (this) {
      case GZIP -> {
        return new GZIPInputStream(in, 1 << 16);
      }
      case XZ -> {
        return new UpToBreak(new org.tukaani.xz.XZInputStream(in), SLICE);
      }
      case ZSTD -> {
        try {
          return new UpToBreak(new com.github.luben.zstd.ZstdInputStream(in), SLICE);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
          throw new IOException("it is compressed with zstd, and zstd's library cannot be loaded"
              + " here (" + pipe("zstd -dc", name) + ")");
        }
      }
      case BZIP2 -> {
        // a block is decoded whole before its first byte comes out, so byte by byte costs
        // little, and a break loses nothing that was decoded before it
        return new UpToBreak(new org.apache.commons.compress.compressors.bzip2
            .BZip2CompressorInputStream(new java.io.BufferedInputStream(in, 1 << 16), true), 1);
      }
      default -> {
        return in;
      }
    }
  }

  /** The most an xz or zstd read asks for at once: what a break may lose of what came before. */
  static final int SLICE = 8192;

  /**
   * Hands over what a decompressor decoded before a break (a file cut short), then the break.
   * xz's, zstd's and bzip2's streams fill the whole buffer asked for, and a break half-way lost
   * all of it: a log cut short gave no lines at all. Here each read asks for at most
   * {@code slice} bytes (1: byte by byte), and a break with bytes already read is thrown at
   * the next read.
   */
  private static final class UpToBreak extends java.io.FilterInputStream {
    private final int slice;
    private IOException pending;

    UpToBreak(InputStream in, int slice) {
      super(in);
      this.slice = slice;
    }

    @Override
    public int read() throws IOException {
      if (pending != null) {
        throw pending;
      }
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pending != null) {
        throw pending;
      }
      if (len == 0) {
        return 0;
      }
      if (slice > 1) {
        return in.read(b, off, Math.min(len, slice));
      }
      int n = 0;
      while (n < len) {
        int c;
        try {
          c = in.read();
        } catch (IOException e) {
          if (n == 0) {
            throw e;
          }
          pending = e;
          return n;
        }
        if (c < 0) {
          return n == 0 ? -1 : n;
        }
        b[off + n++] = (byte) c;
      }
      return n;
    }
  }

  /** What to run instead: the tool's decompressor piped into a scan of standard input. */
  private static String pipe(String tool, String name) {
    return name.equals("-") ? "put " + tool + " before evident in the pipe"
        : tool + " " + name + " | evident scan --site NAME -";
  }
}
