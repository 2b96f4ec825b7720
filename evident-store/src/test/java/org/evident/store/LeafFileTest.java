package org.evident.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.evident.evidence.Merkle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a segment's leaf hashes are kept, and that earlier versions' files are still found. */
class LeafFileTest {
  @TempDir
  Path dir;

  @Test
  void segmentsGoToSubfoldersOfAThousand() {
    Path db = dir.resolve("e.duckdb");
    assertThat(LeafFile.file(db, 7)).isEqualTo(dir.resolve("e.duckdb.leaves/0/7.leaves"));
    assertThat(LeafFile.file(db, 999)).isEqualTo(dir.resolve("e.duckdb.leaves/0/999.leaves"));
    assertThat(LeafFile.file(db, 1000)).isEqualTo(dir.resolve("e.duckdb.leaves/1/1000.leaves"));
    assertThat(LeafFile.file(db, 123_456))
        .isEqualTo(dir.resolve("e.duckdb.leaves/123/123456.leaves"));
  }

  @Test
  void aFileWrittenBeforeSubfoldersIsStillRead() throws Exception {
    Path db = dir.resolve("e.duckdb");
    try (EvidentStore store = EvidentStore.openForScan(db)) {
      Path flat = dir.resolve("e.duckdb.leaves/3.leaves");
      Files.createDirectories(flat.getParent());
      byte[] leaves = new byte[2 * Merkle.HASH_BYTES];
      leaves[0] = 1;
      leaves[Merkle.HASH_BYTES] = 2;
      Files.write(flat, leaves);
      assertThat(LeafFile.existing(db, 3)).isEqualTo(flat);
      try (EvidentStore.SegmentTree t = store.openTree(3)) {
        assertThat(t.tree().size()).isEqualTo(2);
      }
      assertThat(LeafFile.existing(db, 4)).as("neither exists: where it would be written")
          .isEqualTo(LeafFile.file(db, 4));
    }
  }
}
