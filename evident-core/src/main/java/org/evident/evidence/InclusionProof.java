package org.evident.evidence;

import java.security.MessageDigest;
import java.util.List;

/**
 * That one leaf is in a tree of a given size: the sibling hashes from the leaf up to the root.
 *
 * @param leafIndex zero-based position of the leaf
 * @param treeSize leaves in the tree
 * @param path sibling hashes, nearest first
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> path) {
  public InclusionProof {
    path = List.copyOf(path);
  }

  /**
   * Recomputes the root from the leaf hash (RFC 9162 section 2.1.3.2) and compares it.
   *
   * @return true when the proof leads from this leaf to exactly this root
   */
  public boolean verify(byte[] leafHash, byte[] root) {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      return false;
    }
    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0 || p.length != Merkle.HASH_BYTES) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Merkle.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = Merkle.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }
}
