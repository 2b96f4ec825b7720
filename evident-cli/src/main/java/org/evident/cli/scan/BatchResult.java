package org.evident.cli.scan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.evident.store.AttackEvent;
import org.evident.store.SourceCommit.TrafficKey;

/** What a worker made of one batch. */
final class BatchResult {
  final List<AttackEvent> attacks = new ArrayList<>();
  final Map<TrafficKey, long[]> traffic = new HashMap<>();
  final Map<String, Long> skipped = new TreeMap<>();
  long lines;
  long requests;
  long endOffset;
  /** One leaf hash per line (every line, skipped ones too), back to back. */
  byte[] leaves;
  /** Lines that were not valid UTF-8 but were still parsed, byte for byte. */
  long repaired;

  void skip(String reason) {
    skipped.merge(reason, 1L, Long::sum);
  }
}
