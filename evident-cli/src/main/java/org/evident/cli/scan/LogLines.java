package org.evident.cli.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.evident.log.LogFormats;

/**
 * The lines of a log one at a time, cut and decoded exactly as {@code scan} does (same line
 * limit, same handling of binary and invalid UTF-8), for commands that look at lines one by one
 * rather than scanning in parallel. Streams: memory does not grow with the log.
 */
public final class LogLines {
  /**
   * One line.
   *
   * @param number 1-based line number
   * @param text the decoded line, or {@code null} when it was skipped
   * @param skipped why it was skipped ({@code line-too-long}, {@code empty}, {@code binary})
   */
  public record Line(long number, String text, String skipped) {}

  private final LineSplitter splitter;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final BatchResult counts = new BatchResult();
  private final LineBatch batch = new LineBatch();
  private int next;
  private long number;
  private boolean ended;

  public LogLines(InputStream in, int maxLineBytes) {
    this.splitter = new LineSplitter(in, 0, maxLineBytes);
  }

  /** The next line, or {@code null} at the end (and on every call after it). */
  public Line next() throws IOException {
    if (ended) {
      return null;
    }
    if (next == batch.count) {
      next = 0;
      if (!splitter.fill(batch, 4096, 1 << 20)) {
        ended = true;
        return null;
      }
    }
    int i = next++;
    number++;
    int len = batch.lengths[i];
    if (len < 0) {
      return new Line(number, null, "line-too-long");
    }
    if (len == 0) {
      return new Line(number, null, "empty");
    }
    int start = LogFormats.textStart(batch.data, batch.starts[i], len);
    String text = BatchWorker.decode(batch.data, start, len - (start - batch.starts[i]), utf8,
        counts);
    return text == null ? new Line(number, null, "binary") : new Line(number, text, null);
  }
}
