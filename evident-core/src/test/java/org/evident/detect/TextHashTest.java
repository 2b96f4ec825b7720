package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextHashTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "a", "ab", "abc", "abcd", "abcde", "/search?q=O'Brien",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)",
      "caf\u00e9", "\u65e5\u672c\u8a9e\u306e\u691c\u7d22", "\uD83D\uDE00 emoji", "\u0000\uffff"})
  void isStringHashCode(String s) {
    assertThat(TextHash.of(s)).isEqualTo(s.hashCode());
  }

  @Test
  void isStringHashCodeForEveryLengthAndCharacter() {
    Random r = new Random(7);
    for (int len = 0; len < 300; len++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < len; i++) {
        b.append((char) (len % 3 == 0 ? r.nextInt(0x10000) : 32 + r.nextInt(95)));
      }
      String s = b.toString();
      assertThat(TextHash.of(s)).as("length %d", len).isEqualTo(s.hashCode());
    }
  }
}
