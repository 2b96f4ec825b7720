package org.evident.evidence;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * Computes a tree's root while leaves stream past, holding one hash per set bit of the leaf
 * count: memory stays logarithmic however long the segment. It runs on the scan's committing
 * thread for every line, so it works in place in one flat array and allocates nothing per leaf.
 */
public final class TreeBuilder {
  private static final int H = Merkle.HASH_BYTES;

  /** Roots of complete subtrees, largest (leftmost) first, back to back. */
  private final byte[] stack = new byte[64 * H];
  private final byte[] work = new byte[H];
  private final MessageDigest digest = Merkle.sha256();
  private int depth;
  private long size;

  public void add(byte[] leafHash) {
    add(leafHash, 0);
  }

  /** Adds leaves given back to back in one array (32 bytes each). */
  public void addAll(byte[] hashes, int count) {
    for (int i = 0; i < count; i++) {
      add(hashes, i * H);
    }
  }

  /**
   * Adds the next leaf. Adding a leaf merges as many complete subtrees as the count has
   * trailing one bits.
   */
  private void add(byte[] from, int off) {
    System.arraycopy(from, off, work, 0, H);
    for (long n = size; (n & 1) == 1; n >>= 1) {
      depth--;
      digest.update((byte) 1);
      digest.update(stack, depth * H, H);
      digest.update(work, 0, H);
      finish(work, 0);
    }
    System.arraycopy(work, 0, stack, depth * H, H);
    depth++;
    size++;
  }

  private void finish(byte[] into, int off) {
    try {
      digest.digest(into, off, H);
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
  }

  public long size() {
    return size;
  }

  /** The RFC 9162 root of the leaves so far: complete subtrees folded right to left. */
  public byte[] root() {
    if (depth == 0) {
      return Merkle.emptyRoot();
    }
    byte[] r = new byte[H];
    System.arraycopy(stack, (depth - 1) * H, r, 0, H);
    for (int i = depth - 2; i >= 0; i--) {
      digest.update((byte) 1);
      digest.update(stack, i * H, H);
      digest.update(r, 0, H);
      finish(r, 0);
    }
    return r;
  }
}
