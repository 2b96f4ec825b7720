package org.evident.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.evident.evidence.SignedHead;
import org.evident.evidence.TreeHead;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attack rows staged ahead of a commit are kept with it, and only with it. */
class StagedRowsTest {
  @TempDir
  Path dir;
  private EvidentStore store;
  private long scan;
  private long source;

  @BeforeEach
  void open() {
    store = EvidentStore.openForScan(dir.resolve("e.duckdb"));
    scan = store.beginScan("t", "00", 1, 5, "none");
    source = store.newSourceId();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static AttackEvent attackAt(long line) {
    return new AttackEvent(1_360_000_000_000L + line * 1000, "shop.example", "203.0.113.7",
        "public", "US", 64500, "Example AS", "sqli", "EV-942100", "critical", 5, null, "GET",
        "/?id=1'--", 200, "curl/8", null, "1'--", "access.log", line, line * 100, "ab",
        "raw line " + line, -1, -1, null, "args:id");
  }

  private SourceCommit commit(long seq, long firstLine, long lines, List<AttackEvent> rest) {
    TreeHead h = new TreeHead(seq, "access.log", "combined", firstLine, lines, "00".repeat(32),
        TreeHead.GENESIS, "2026-11-27T00:00:00Z");
    return new SourceCommit(scan, source,
        new SourceRecord(source, "access.log", "fp", 2, 1000, 1000, firstLine + lines - 1,
            "combined", null, null),
        rest, Map.of(), Map.of(), new SourceCommit.Segment(new SignedHead(h, null, null),
            store.newLeafWriter()), null);
  }

  private List<AttackEvent> stored() {
    List<AttackEvent> out = new ArrayList<>();
    store.events(EventFilter.ALL, out::add);
    return out;
  }

  @Test
  void stagedRowsAreCommittedWithTheSegmentTheyWereStagedFor() {
    store.stage(List.of(attackAt(3), attackAt(5)), scan, source, 1, 1);
    store.stage(List.of(attackAt(8)), scan, source, 1, 1);
    assertThat(store.commit(commit(1, 1, 10, List.of(attackAt(9))))).isEqualTo(source);
    assertThat(stored()).extracting(AttackEvent::lineNumber, AttackEvent::segment,
            AttackEvent::leafIndex, AttackEvent::matchedIn)
        .containsExactly(tuple(3L, 1L, 2L, "args:id"), tuple(5L, 1L, 4L, "args:id"),
            tuple(8L, 1L, 7L, "args:id"), tuple(9L, 1L, 8L, "args:id"));
  }

  @Test
  void rowsStagedWithoutACommitAreNotKept() {
    store.stage(List.of(attackAt(3)), scan, source, 1, 1);
    store.close();
    store = EvidentStore.openForScan(dir.resolve("e.duckdb"));
    assertThat(store.attackCount()).isZero();
  }

  @Test
  void droppedRowsLeaveTheStoreReadyForTheNextCommit() {
    store.stage(List.of(attackAt(3), attackAt(4)), scan, source, 1, 1);
    store.dropStaged();
    store.commit(commit(1, 1, 10, List.of(attackAt(6))));
    assertThat(stored()).extracting(AttackEvent::lineNumber).containsExactly(6L);
  }

  /** Appended rows were once committed on their own, ahead of a commit that then failed. */
  @Test
  void aFailedCommitKeepsNoneOfItsRows() {
    store.commit(commit(1, 1, 10, List.of(attackAt(2))));
    // the same segment again: its head cannot be stored twice, after the rows were appended
    assertThatThrownBy(() -> store.commit(commit(1, 11, 10, List.of(attackAt(12)))))
        .isInstanceOf(StoreException.class);
    assertThat(stored()).extracting(AttackEvent::lineNumber).containsExactly(2L);
  }

  @Test
  void aCommitOfAnotherSegmentFailsAndKeepsNothingStaged() {
    store.stage(List.of(attackAt(3)), scan, source, 1, 1);
    assertThatThrownBy(() -> store.stage(List.of(attackAt(4)), scan, source, 2, 11))
        .isInstanceOf(IllegalStateException.class);
    store.stage(List.of(attackAt(5)), scan, source, 1, 1);
    assertThatThrownBy(() -> store.commit(commit(2, 11, 10, List.of())))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.attackCount()).isZero();
    store.commit(commit(1, 1, 10, List.of(attackAt(7))));
    assertThat(stored()).extracting(AttackEvent::lineNumber).containsExactly(7L);
  }
}
