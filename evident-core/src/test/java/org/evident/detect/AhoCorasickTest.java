package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AhoCorasickTest {
  private static final String S = String.valueOf(RegexLiterals.TEXT_START);
  private static final String E = String.valueOf(RegexLiterals.TEXT_END);

  /** Patterns (comma-separated), a text, and the patterns found in it. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '~', nullValues = "NONE", value = {
      "select,union~UNION SeLeCt~select,union",
      "etc/passwd~/ETC/PASSWD~etc/passwd",
      "abc,bc,c~xabcx~abc,bc,c",
      "abc~ab c~NONE",
      // beyond ASCII: folded on both sides, as Character's mappings go
      "\u2215~..\u2215..\u2215etc~\u2215",
      "ärger~ÄRGER im büro~ärger",
      "σοφια~ΣΟΦΙΑ~σοφια",
      "σ~ς~σ", // final sigma folds to sigma
      "\uff0e\uff0e~\uff0e\uff0E/~\uff0e\uff0e",
      // a character beyond ASCII that folds into ASCII matches only its own kind
      "k~\u212a~NONE",
      "\u212a~k~NONE",
      "\u212a~\u212a~\u212a",
      // text in another script reaches no pattern
      "\u2215,admin~搜索鞋子 ∖ \uff3c~NONE",
      "鞋~搜索鞋子~鞋",
      // DEL is a character like any other
      "a\u007fb~xa\u007fbx~a\u007fb",
  })
  void findsWhatOccurs(String patterns, String text, String expected) {
    List<String> words = List.of(patterns.split(","));
    assertThat(found(new AhoCorasick(words), words, text))
        .containsExactlyInAnyOrderElementsOf(expected == null ? List.of()
            : List.of(expected.split(",")));
  }

  @Test
  void anchorsAreReadBeforeAndAfterTheTextNeverFromIt() {
    List<String> words = List.of(S + "id", "w" + E, S + "ä" + E);
    AhoCorasick ac = new AhoCorasick(words);
    assertThat(found(ac, words, "id;w")).containsExactlyInAnyOrder(S + "id", "w" + E);
    assertThat(found(ac, words, "x id w x")).isEmpty();
    assertThat(found(ac, words, "Ä")).containsExactly(S + "ä" + E);
    assertThat(found(ac, words, S + "id")).as("an anchor character in the text is text")
        .isEmpty();
  }

  @Test
  void firstGivesThePatternThatEndsFirst() {
    AhoCorasick ac = new AhoCorasick(List.of("dog", "cat", "∕"));
    assertThat(ac.first("a cat and a dog")).isEqualTo(1);
    assertThat(ac.first("../∕")).isEqualTo(2);
    assertThat(ac.first("bird")).isEqualTo(-1);
  }

  @Test
  void eachPatternIsReportedOncePerPass() {
    List<String> words = List.of("ab", "b");
    AhoCorasick ac = new AhoCorasick(words);
    int[] hits = new int[2];
    int[] seen = new int[2];
    assertThat(ac.scan("ababab", hits, seen, 1)).isEqualTo(2);
    assertThat(ac.scan("ababab", hits, seen, 1)).as("same pass").isZero();
    assertThat(ac.scan("b", hits, seen, 2)).isEqualTo(1);
  }

  /** Against a plain search: fold both sides, look for each pattern. */
  @Test
  void agreesWithANaiveSearch() {
    SplittableRandom random = new SplittableRandom(7);
    String alphabet = "aAbB∕ÄäσΣς鞋kK\u212aµμÿéÉ\u00ad";
    for (int round = 0; round < 300; round++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 1 + random.nextInt(6); w++) {
        words.add(random(random, alphabet, 1 + random.nextInt(3)));
      }
      words = words.stream().distinct().toList();
      String text = random(random, alphabet, random.nextInt(20));
      List<String> expected = new ArrayList<>();
      for (String w : words) {
        if (fold(text).contains(fold(w))) {
          expected.add(w);
        }
      }
      assertThat(found(new AhoCorasick(words), words, text)).as("%s in %s", words, text)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /**
   * Texts the detector takes as the same ({@link AhoCorasick#sameFolded}) give the same scan:
   * it replays one text's literals for the other instead of scanning again.
   */
  @Test
  void textsThatReadTheSameFindTheSamePatterns() {
    SplittableRandom random = new SplittableRandom(13);
    String alphabet = "aAbB∕ÄäσΣςkK\u212aµμÿŸéÉ";
    int same = 0;
    for (int round = 0; round < 2000; round++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 1 + random.nextInt(6); w++) {
        words.add(random(random, alphabet, 1 + random.nextInt(3)));
      }
      words = words.stream().distinct().toList();
      AhoCorasick ac = new AhoCorasick(words);
      String a = random(random, alphabet, random.nextInt(6));
      String b = random(random, alphabet, a.length());
      if (AhoCorasick.sameFolded(a, b)) {
        same++;
        assertThat(found(ac, words, b)).as("%s in %s and %s", words, a, b)
            .containsExactlyInAnyOrderElementsOf(found(ac, words, a));
      }
    }
    assertThat(same).as("pairs that read the same").isGreaterThan(100);
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(delimiter = '~', value = {
      "Mozilla/5.0~mozilla/5.0~true",
      "ÄRGER~ärger~true",
      "µ~μ~true", // micro sign and mu fold alike
      "k~\u212a~false", // the Kelvin sign is no k to the automata
      "K~\u212a~false",
      "ab~abc~false",
      "a-b~a_b~false",
  })
  void sameFoldedIsCaseInsensitiveAsTheAutomataAre(String a, String b, boolean same) {
    assertThat(AhoCorasick.sameFolded(a, b)).isEqualTo(same);
    assertThat(AhoCorasick.sameFolded(b, a)).isEqualTo(same);
  }

  /**
   * Automata past 32,768 states (16-bit moves up to 65,536, ints beyond), where states that
   * report a pattern are numbered apart from the rest: every pattern is still found, and no
   * other. CRS's argument phrases make about 34,000 states.
   */
  @ParameterizedTest
  @CsvSource({"4000, 32768, 65536", "9000, 65537, 1000000"})
  void largeAutomataFindEveryPatternAndNoOther(int count, int minStates, int maxStates) {
    SplittableRandom random = new SplittableRandom(11);
    java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
    while (distinct.size() < count) {
      distinct.add(random(random, "abcdefghijklmnopqrstuvwxyz0123456789", 10 + random.nextInt(6)));
    }
    List<String> words = List.copyOf(distinct);
    AhoCorasick ac = new AhoCorasick(words);
    assertThat(ac.states()).isBetween(minStates, maxStates);
    for (int k = 0; k < count; k += 97) {
      String text = "x-" + words.get(k).toUpperCase(java.util.Locale.ROOT) + "-y";
      assertThat(found(ac, words, text)).as(text).contains(words.get(k));
    }
    assertThat(found(ac, words, "-- nothing here --")).isEmpty();
    assertThat(ac.first("..." + words.get(count - 1) + "...")).isEqualTo(count - 1);
  }

  private static String random(SplittableRandom r, String alphabet, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /**
   * ASCII lower case for ASCII; upper, then lower case beyond it, where a character that lands
   * in ASCII (the Kelvin sign) is kept apart from ASCII (moved to the private use area).
   */
  private static String fold(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      char f = c < 128 ? Character.toLowerCase(c)
          : Character.toLowerCase(Character.toUpperCase(c));
      b.append(c >= 128 && f < 128 ? (char) (0xF000 + f) : f);
    }
    return b.toString();
  }

  private static List<String> found(AhoCorasick ac, List<String> words, String text) {
    int[] hits = new int[words.size()];
    int n = ac.scan(text, hits, new int[words.size()], 1);
    return Arrays.stream(hits, 0, n).mapToObj(words::get).toList();
  }
}
