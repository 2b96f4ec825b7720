package org.evident.evidence;

/** Random access to a segment's leaf hashes, wherever they are kept (a file, memory). */
public interface LeafHashes {
  long size();

  /** Copies {@code count} hashes starting at leaf {@code from} into {@code into}, back to back. */
  void read(long from, int count, byte[] into);
}
