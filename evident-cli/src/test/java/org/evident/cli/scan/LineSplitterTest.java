package org.evident.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LineSplitterTest {

  /** The byte loop the eight-at-a-time search replaces: what it must agree with. */
  private static int naive(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Every start, end and newline position over 40 bytes, the other bytes drawn from those that
   * differ from a newline by one bit or one borrow (0x0B, 0x09, 0x8A, 0x00, 0xFF, 0x0A + 0x100
   * folds), which is where a word-at-a-time test could go wrong.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void newlineAgreesWithAByteLoop(long seed) {
    byte[] near = {0x0B, 0x09, (byte) 0x8A, 0x00, (byte) 0xFF, 0x01, (byte) 0x80, 'a'};
    Random random = new Random(seed);
    byte[] b = new byte[40];
    for (int k = 0; k < b.length; k++) {
      b[k] = near[random.nextInt(near.length)];
    }
    for (int nl = -1; nl < b.length; nl++) {
      byte[] c = b.clone();
      if (nl >= 0) {
        c[nl] = '\n';
      }
      if (random.nextBoolean() && nl + 5 < c.length) {
        c[nl + 5] = '\n'; // a second newline after the first
      }
      for (int from = 0; from <= c.length; from++) {
        for (int to = from; to <= c.length; to++) {
          assertThat(LineSplitter.newline(c, from, to))
              .as("newline at %d in [%d, %d)", nl, from, to)
              .isEqualTo(naive(c, from, to));
        }
      }
    }
  }

  /** Hands out at most {@code chunk} bytes a read, so lines straddle refills. */
  private static InputStream trickle(byte[] bytes, int chunk) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  private static List<String> split(String text, int chunk, int maxLine, List<Long> offsets)
      throws IOException {
    LineSplitter s = new LineSplitter(trickle(text.getBytes(StandardCharsets.ISO_8859_1), chunk),
        100, maxLine);
    List<String> lines = new ArrayList<>();
    LineBatch batch = new LineBatch();
    while (s.fill(batch, 3, 1 << 20)) {
      for (int i = 0; i < batch.count; i++) {
        lines.add(batch.lengths[i] < 0 ? "<long>"
            : new String(batch.data, batch.starts[i], batch.lengths[i],
                StandardCharsets.ISO_8859_1));
        offsets.add(batch.offsets[i]);
      }
    }
    return lines;
  }

  @ParameterizedTest(name = "{0}-byte reads")
  @ValueSource(ints = {1, 3, 7, 8, 9, 64, 1 << 20})
  void linesAndOffsetsWhateverTheReads(int chunk) throws IOException {
    String text = "first\r\n\nsecond line, a little longer than eight\nx\r\n"
        + "0123456789abcdef0123\nunended";
    List<Long> offsets = new ArrayList<>();
    assertThat(split(text, chunk, 1000, offsets)).containsExactly("first", "",
        "second line, a little longer than eight", "x", "0123456789abcdef0123", "unended");
    // byte offsets of the line starts, from the starting offset given (100)
    assertThat(offsets).containsExactly(100L, 107L, 108L, 148L, 151L, 172L);
  }

  @ParameterizedTest(name = "{0}-byte reads, max line {1}")
  @CsvSource({"1, 10", "4, 10", "9, 16", "1048576, 10"})
  void overLongLinesAreMarkedAndTheRestGoesOn(int chunk, int maxLine) throws IOException {
    String text = "short\n" + "y".repeat(40) + "\r\nafter\n";
    List<Long> offsets = new ArrayList<>();
    assertThat(split(text, chunk, maxLine, offsets)).containsExactly("short", "<long>", "after");
    assertThat(offsets).containsExactly(100L, 106L, 148L);
  }
}
