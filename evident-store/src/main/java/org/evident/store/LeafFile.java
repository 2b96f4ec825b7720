package org.evident.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.evident.evidence.LeafHashes;
import org.evident.evidence.Merkle;

/**
 * A segment's leaf hashes, 32 bytes per line in line order, kept beside the database in
 * {@code DB.leaves/N/SEQ.leaves}. Disclosure reads them to build inclusion proofs for any line long
 * after the log itself was rotated away; they hold hashes only, never traffic.
 */
public final class LeafFile {
  private LeafFile() {}

  static Path folder(Path db) {
    return db.toAbsolutePath().resolveSibling(db.getFileName() + ".leaves");
  }

  /** Segments per subfolder: a log scanned every few minutes makes thousands a month. */
  static final long PER_FOLDER = 1000;

  /** Where segment {@code seq}'s hashes are written: {@code DB.leaves/(seq / 1000)/seq.leaves}. */
  static Path file(Path db, long seq) {
    return folder(db).resolve(Long.toString(seq / PER_FOLDER)).resolve(seq + ".leaves");
  }

  /**
   * Where segment {@code seq}'s hashes are: as {@link #file} names it, or directly in the folder,
   * where versions before subfolders wrote them.
   */
  static Path existing(Path db, long seq) {
    Path f = file(db, seq);
    Path flat = folder(db).resolve(seq + ".leaves");
    return !Files.exists(f) && Files.exists(flat) ? flat : f;
  }

  /** Streams one segment's hashes to a temporary file, renamed into place by {@link #finish}. */
  public static final class Writer implements AutoCloseable {
    private final Path tmp;
    private final OutputStream out;

    Writer(Path db) {
      try {
        Files.createDirectories(folder(db));
        tmp = Files.createTempFile(folder(db), "segment", ".tmp");
        out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
      } catch (IOException e) {
        throw new StoreException("cannot write leaf hashes beside the database: "
            + e.getMessage());
      }
    }

    public void write(byte[] hashes, int count) {
      try {
        out.write(hashes, 0, count * Merkle.HASH_BYTES);
      } catch (IOException e) {
        throw new StoreException("cannot write leaf hashes: " + e.getMessage());
      }
    }

    void finish(Path target) throws IOException {
      out.close();
      Files.createDirectories(target.getParent());
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
      try {
        out.close();
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a stray temporary file is harmless
      }
    }
  }

  /** Random access to a finished segment's hashes. */
  static final class Reader implements LeafHashes, AutoCloseable {
    private final FileChannel ch;
    private final long size;

    Reader(Path file) throws IOException {
      ch = FileChannel.open(file, StandardOpenOption.READ);
      size = ch.size() / Merkle.HASH_BYTES;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public void read(long from, int count, byte[] into) {
      ByteBuffer b = ByteBuffer.wrap(into, 0, count * Merkle.HASH_BYTES);
      long pos = from * Merkle.HASH_BYTES;
      try {
        while (b.hasRemaining()) {
          int n = ch.read(b, pos);
          if (n < 0) {
            throw new IOException("leaf file ends early");
          }
          pos += n;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
