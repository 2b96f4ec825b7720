package org.evident.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StoreWritesTest {

  @Test
  void writesRunInTheOrderHandedOverOnOneThread() throws Exception {
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    try (StoreWrites writes = new StoreWrites(3)) {
      Future<?> last = null;
      for (int i = 0; i < 200; i++) {
        int n = i;
        last = writes.submit(() -> {
          ran.add(n);
          threads.add(Thread.currentThread().getName());
        });
      }
      StoreWrites.await(last);
    }
    assertThat(ran).hasSize(200).isSorted();
    assertThat(threads).containsOnly("evident-commit");
  }

  @Test
  void noWriteRunsAfterAFailedOneAndEachFailsWithItsFailure() throws Exception {
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch hold = new CountDownLatch(1);
    IOException lost = new IOException("disk full");
    try (StoreWrites writes = new StoreWrites(4)) {
      writes.submit(() -> {
        await(hold);
        ran.add("stage 1");
      });
      Future<?> failing = writes.submit(() -> {
        ran.add("stage 2");
        throw lost;
      });
      Future<?> commit = writes.submit(() -> ran.add("commit"));
      hold.countDown();
      assertThatThrownBy(() -> StoreWrites.await(commit)).isSameAs(lost);
      assertThatThrownBy(() -> StoreWrites.await(failing)).isSameAs(lost);
      // the next hand-over finds the failure and says so instead of queueing another write
      assertThatThrownBy(() -> writes.submit(() -> ran.add("late"))).isSameAs(lost);
    }
    assertThat(ran).containsExactly("stage 1", "stage 2");
  }

  @Test
  void aHandOverWaitsWhileTheLimitIsNotDone() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch handedOver = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (StoreWrites writes = new StoreWrites(2)) {
      writes.submit(() -> await(hold));
      writes.submit(() -> { });
      Thread third = new Thread(() -> {
        try {
          writes.submit(() -> { });
          handedOver.countDown();
        } catch (IOException | InterruptedException | RuntimeException e) {
          failure.set(e);
        }
      });
      third.start();
      assertThat(handedOver.await(200, TimeUnit.MILLISECONDS)).isFalse();
      hold.countDown();
      assertThat(handedOver.await(10, TimeUnit.SECONDS)).isTrue();
      third.join();
    }
    assertThat(failure.get()).isNull();
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new StoreWrites(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void await(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IOException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}
