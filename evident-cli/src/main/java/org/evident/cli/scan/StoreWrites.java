package org.evident.cli.scan;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A scan's writes to the store (attack rows staged ahead of a commit, and commits), run in the
 * order handed over on a committing thread of their own while the scan reads on.
 *
 * <p>A write runs only if the one before it succeeded: after a failed write no later one runs,
 * so no commit can follow a stage that failed, or store a source's offset past rows that were
 * lost; each of them fails with the first failure. Up to {@code limit} writes wait their turn and
 * the next hand-over waits for the oldest, so memory stays bounded when the store is slower than
 * the workers (logs of nothing but attacks). With one write in flight the scanning thread waited
 * through each of DuckDB's checkpoints (0.1-0.2 s), and the workers with it once their queue of
 * results was full.
 */
final class StoreWrites implements AutoCloseable {

  /** A store write: a commit or rows staged ahead of one. */
  interface Write {
    void run() throws IOException;
  }

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "evident-commit");
    t.setDaemon(true);
    return t;
  });
  private final int limit;
  /** Handed over and not yet waited for, oldest first; some may be done. */
  private final ArrayDeque<Future<?>> inFlight = new ArrayDeque<>();
  private Future<?> newest;

  /** @param limit writes handed over and not yet done, at most */
  StoreWrites(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit);
    }
    this.limit = limit;
  }

  /**
   * Hands {@code w} over to run after every write handed over before it. Waits first while
   * {@code limit} writes are not done, and rethrows the failure of any write found failed.
   */
  Future<?> submit(Write w) throws IOException, InterruptedException {
    while (!inFlight.isEmpty()
        && (inFlight.size() >= limit || inFlight.peekFirst().isDone())) {
      await(inFlight.pollFirst());
    }
    Future<?> before = newest;
    Future<?> f = thread.submit(() -> {
      await(before); // done already: the thread runs one write at a time
      w.run();
      return null;
    });
    inFlight.addLast(f);
    newest = f;
    return f;
  }

  /**
   * Waits for write {@code f} (null: none), and so for every write before it, rethrowing its
   * failure as it was thrown.
   */
  static void await(Future<?> f) throws IOException, InterruptedException {
    if (f == null) {
      return;
    }
    try {
      f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("store write failed", cause);
    }
  }

  /**
   * Lets the thread end once its writes are done, waiting up to a minute for them (a scan
   * interrupted in the middle of a commit).
   */
  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
