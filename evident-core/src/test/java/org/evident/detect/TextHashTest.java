package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextHashTest {
  private final byte[] buffer = new byte[TextHash.CHUNK];

  /** Equal texts hash alike, whatever string holds them and whatever the buffer held before. */
  @ParameterizedTest
  @ValueSource(strings = {"", "a", "abcdefg", "abcdefgh", "abcdefghi", "/search?q=O'Brien",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)",
      "caf\u00e9", "\u65e5\u672c\u8a9e\u306e\u691c\u7d22", "\uD83D\uDE00 emoji", "\u0000\uffff"})
  void equalTextsHashAlike(String s) {
    int first = TextHash.of(s, buffer);
    TextHash.of("x".repeat(TextHash.CHUNK), buffer); // another text's bytes left behind
    assertThat(TextHash.of(new String(s.toCharArray()), buffer)).isEqualTo(first);
  }

  /**
   * A one-character change anywhere (first, last, across the buffer's chunks), a character
   * more or less, changes the hash: the caches then keep the texts apart without comparing them.
   */
  @Test
  void aChangeAnywhereChangesTheHash() {
    Random r = new Random(7);
    for (int len : new int[] {1, 7, 8, 9, 15, 16, 17, 120, 511, 512, 513, 1024, 1100}) {
      char[] text = new char[len];
      for (int i = 0; i < len; i++) {
        text[i] = (char) (32 + r.nextInt(95));
      }
      String s = new String(text);
      int h = TextHash.of(s, buffer);
      for (int at = 0; at < len; at++) {
        char[] other = text.clone();
        other[at] = other[at] == 'a' ? 'b' : 'a';
        assertThat(TextHash.of(new String(other), buffer)).as("length %d, at %d", len, at)
            .isNotEqualTo(h);
      }
      assertThat(TextHash.of(s + "a", buffer)).isNotEqualTo(h);
      assertThat(TextHash.of(s.substring(1), buffer)).isNotEqualTo(h);
    }
  }

  /**
   * User agents that differ in a version number or two spread over a cache region's slots as
   * random numbers would: the low bits the slots are taken from are mixed, not only the high.
   */
  @Test
  void similarTextsSpreadOverTheSlots() {
    int slots = 8192;
    Map<Integer, Integer> load = new HashMap<>();
    Set<Integer> hashes = new HashSet<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
          + " Gecko) Chrome/" + (100 + i % 40) + ".0." + (i / 40) + ".0 Safari/537.36";
      int h = TextHash.of(ua, buffer);
      hashes.add(h);
      load.merge(h & (slots - 1), 1, Integer::sum);
    }
    // as random 32-bit numbers would: 0.05 pairs expected among 20,000 (116 among a million,
    // where this hash has 124); a hash that mixed these texts poorly would share hundreds
    assertThat(hashes).hasSizeGreaterThanOrEqualTo(n - 2);
    // n / slots = 2.4 a slot on average; a random spread puts at most about a dozen in one
    assertThat(load.values().stream().mapToInt(Integer::intValue).max().getAsInt())
        .isLessThan(14);
    assertThat(load).hasSizeGreaterThan(slots * 85 / 100);
  }
}
