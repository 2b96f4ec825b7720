package org.evident.evidence;

import java.util.ArrayList;
import java.util.List;

/**
 * A segment's tree, for proving inclusion. Hashes of aligned complete subtrees of at least
 * {@value #CHUNK} leaves are kept in memory (1/128 of the leaf data); anything smaller is
 * recomputed from the leaves on demand, so a proof costs one chunk read, not a pass over the log.
 */
public final class MerkleTree {
  static final int CHUNK = 256;
  private static final int CHUNK_LEVEL = 8;

  private final LeafHashes leaves;
  private final long size;
  /** levels.get(k) holds hashes of aligned subtrees of CHUNK * 2^k leaves, back to back. */
  private final List<byte[]> levels = new ArrayList<>();

  public MerkleTree(LeafHashes leaves) {
    this.leaves = leaves;
    this.size = leaves.size();
    long chunks = size / CHUNK;
    byte[] level = new byte[Math.toIntExact(chunks * Merkle.HASH_BYTES)];
    byte[] buf = new byte[CHUNK * Merkle.HASH_BYTES];
    for (long c = 0; c < chunks; c++) {
      leaves.read(c * CHUNK, CHUNK, buf);
      System.arraycopy(fold(buf, CHUNK), 0, level, (int) c * Merkle.HASH_BYTES, Merkle.HASH_BYTES);
    }
    levels.add(level);
    while (level.length >= 2 * Merkle.HASH_BYTES) {
      int n = level.length / Merkle.HASH_BYTES / 2;
      byte[] up = new byte[n * Merkle.HASH_BYTES];
      for (int i = 0; i < n; i++) {
        byte[] h = Merkle.nodeHash(slice(level, 2 * i), slice(level, 2 * i + 1));
        System.arraycopy(h, 0, up, i * Merkle.HASH_BYTES, Merkle.HASH_BYTES);
      }
      levels.add(up);
      level = up;
    }
  }

  public long size() {
    return size;
  }

  public byte[] root() {
    return size == 0 ? Merkle.emptyRoot() : hash(0, size);
  }

  /** The leaf's audit path (RFC 9162 section 2.1.3.1), nearest sibling first. */
  public InclusionProof proof(long index) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is outside a tree of " + size);
    }
    List<byte[]> path = new ArrayList<>();
    path(index, 0, size, path);
    return new InclusionProof(index, size, path);
  }

  public byte[] leaf(long index) {
    byte[] h = new byte[Merkle.HASH_BYTES];
    leaves.read(index, 1, h);
    return h;
  }

  private void path(long m, long start, long n, List<byte[]> out) {
    if (n == 1) {
      return;
    }
    long k = Merkle.split(n);
    if (m < k) {
      path(m, start, k, out);
      out.add(hash(start + k, n - k));
    } else {
      path(m - k, start + k, n - k, out);
      out.add(hash(start, k));
    }
  }

  /** MTH of leaves [start, start + n). */
  private byte[] hash(long start, long n) {
    if (n == 1) {
      return leaf(start);
    }
    if (Long.bitCount(n) == 1 && n >= CHUNK && start % n == 0) {
      int level = Long.numberOfTrailingZeros(n) - CHUNK_LEVEL;
      return slice(levels.get(level), (int) (start / n));
    }
    if (n <= CHUNK) {
      byte[] buf = new byte[(int) n * Merkle.HASH_BYTES];
      leaves.read(start, (int) n, buf);
      return fold(buf, (int) n);
    }
    long k = Merkle.split(n);
    return Merkle.nodeHash(hash(start, k), hash(start + k, n - k));
  }

  /** MTH of n leaf hashes held back to back. */
  private static byte[] fold(byte[] hashes, int n) {
    return fold(hashes, 0, n);
  }

  private static byte[] fold(byte[] hashes, int from, int n) {
    if (n == 1) {
      return slice(hashes, from);
    }
    int k = (int) Merkle.split(n);
    return Merkle.nodeHash(fold(hashes, from, k), fold(hashes, from + k, n - k));
  }

  private static byte[] slice(byte[] a, int i) {
    byte[] h = new byte[Merkle.HASH_BYTES];
    System.arraycopy(a, i * Merkle.HASH_BYTES, h, 0, Merkle.HASH_BYTES);
    return h;
  }

  /** Leaf hashes held in memory, for tests and small trees. */
  public static LeafHashes inMemory(List<byte[]> hashes) {
    return new LeafHashes() {
      @Override
      public long size() {
        return hashes.size();
      }

      @Override
      public void read(long from, int count, byte[] into) {
        for (int i = 0; i < count; i++) {
          System.arraycopy(hashes.get((int) from + i), 0, into, i * Merkle.HASH_BYTES,
              Merkle.HASH_BYTES);
        }
      }
    };
  }
}
