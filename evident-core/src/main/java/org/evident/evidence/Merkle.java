package org.evident.evidence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 hashing: leaves and interior nodes are hashed with different one-byte prefixes, so a
 * leaf can never be passed off as a node (the second-preimage attack on plain Merkle trees).
 */
public final class Merkle {
  public static final int HASH_BYTES = 32;

  private Merkle() {}

  /** SHA-256(0x00 || line), the line without its line ending. */
  public static byte[] leafHash(byte[] data, int off, int len) {
    MessageDigest d = sha256();
    d.update((byte) 0);
    d.update(data, off, len);
    return d.digest();
  }

  public static byte[] leafHash(byte[] line) {
    return leafHash(line, 0, line.length);
  }

  /** SHA-256(0x01 || left || right). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    return nodeHash(sha256(), left, right);
  }

  /** As {@link #nodeHash(byte[], byte[])} with a digest the caller reuses (hot loops). */
  public static byte[] nodeHash(MessageDigest d, byte[] left, byte[] right) {
    d.reset();
    d.update((byte) 1);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  /** The hash of the empty tree: SHA-256 of nothing. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** The largest power of two strictly below {@code n} (n &gt; 1): where RFC 9162 splits. */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
