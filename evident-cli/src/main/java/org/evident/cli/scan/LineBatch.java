package org.evident.cli.scan;

import java.util.Arrays;

/**
 * A run of raw lines handed from the reader to a worker: the bytes in one array, with each line's
 * start, length and byte offset in its source. A length of -1 marks a line that was too long to
 * keep; only its offset is known.
 */
final class LineBatch {
  /** Sized for a whole batch (ScanJob's 1 MiB), so that it seldom grows while filling. */
  byte[] data = new byte[(1 << 20) + (1 << 16)];
  int used;
  int[] starts = new int[4096];
  int[] lengths = new int[4096];
  long[] offsets = new long[4096];
  int count;
  long firstLineNumber;
  /** Offset just past the last line, where a resumed scan would continue. */
  long endOffset;
  /** Leaf hashes of over-long lines, by index in the batch: their bytes were never kept. */
  java.util.Map<Integer, byte[]> longLineLeaves;

  void addLong(byte[] leafHash, long offset) {
    if (longLineLeaves == null) {
      longLineLeaves = new java.util.HashMap<>();
    }
    longLineLeaves.put(count, leafHash);
    add(null, 0, -1, offset);
  }

  void add(byte[] buf, int from, int len, long offset) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      lengths = Arrays.copyOf(lengths, count * 2);
      offsets = Arrays.copyOf(offsets, count * 2);
    }
    if (len >= 0) {
      if (used + len > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, used + len));
      }
      System.arraycopy(buf, from, data, used, len);
    }
    starts[count] = used;
    lengths[count] = len;
    offsets[count] = offset;
    count++;
    if (len > 0) {
      used += len;
    }
  }
}
