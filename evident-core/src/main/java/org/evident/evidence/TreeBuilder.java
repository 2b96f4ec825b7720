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
  /**
   * A node's hash input, 0x01, left and right child: assembled here and given to the digest in
   * one update (three updates cost a third more per node).
   */
  private final byte[] node = new byte[1 + 2 * H];
  private final MessageDigest digest = Merkle.sha256();
  private int depth;
  private long size;

  public TreeBuilder() {
    node[0] = 1;
  }

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
   * trailing one bits; the merged hash is kept in the right child's place of {@link #node}.
   */
  private void add(byte[] from, int off) {
    System.arraycopy(from, off, node, 1 + H, H);
    for (long n = size; (n & 1) == 1; n >>= 1) {
      depth--;
      System.arraycopy(stack, depth * H, node, 1, H);
      hashNode();
    }
    System.arraycopy(node, 1 + H, stack, depth * H, H);
    depth++;
    size++;
  }

  /**
   * Hashes {@link #node} into its right child's place. The digest is reset first, as the scan's
   * workers reset theirs: left to reset itself inside update(), it took a branch there that the
   * workers never take, and C2, having compiled the JDK's update for them, threw the code away
   * and compiled it again once the tree reached it.
   */
  private void hashNode() {
    digest.reset();
    digest.update(node, 0, node.length);
    try {
      digest.digest(node, 1 + H, H);
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
    System.arraycopy(stack, (depth - 1) * H, node, 1 + H, H);
    for (int i = depth - 2; i >= 0; i--) {
      System.arraycopy(stack, i * H, node, 1, H);
      hashNode();
    }
    byte[] r = new byte[H];
    System.arraycopy(node, 1 + H, r, 0, H);
    return r;
  }
}
