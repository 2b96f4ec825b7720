package org.evident.evidence;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a tree's root while leaves stream past, holding one hash per set bit of the leaf
 * count: memory stays logarithmic however long the segment.
 */
public final class TreeBuilder {
  /** Roots of complete subtrees, largest (leftmost) first. */
  private final List<byte[]> stack = new ArrayList<>();
  private final MessageDigest digest = Merkle.sha256();
  private long size;

  /**
   * Adds the next leaf. The stack holds one root per set bit of the count, so adding a leaf
   * merges as many subtrees as the count has trailing one bits.
   */
  public void add(byte[] leafHash) {
    byte[] h = leafHash;
    for (long n = size; (n & 1) == 1; n >>= 1) {
      h = Merkle.nodeHash(digest, stack.remove(stack.size() - 1), h);
    }
    stack.add(h);
    size++;
  }

  /** Adds leaves given back to back in one array (32 bytes each). */
  public void addAll(byte[] hashes, int count) {
    for (int i = 0; i < count; i++) {
      byte[] h = new byte[Merkle.HASH_BYTES];
      System.arraycopy(hashes, i * Merkle.HASH_BYTES, h, 0, Merkle.HASH_BYTES);
      add(h);
    }
  }

  public long size() {
    return size;
  }

  /** The RFC 9162 root of the leaves so far: complete subtrees folded right to left. */
  public byte[] root() {
    if (stack.isEmpty()) {
      return Merkle.emptyRoot();
    }
    byte[] r = stack.get(stack.size() - 1);
    for (int i = stack.size() - 2; i >= 0; i--) {
      r = Merkle.nodeHash(digest, stack.get(i), r);
    }
    return r;
  }
}
