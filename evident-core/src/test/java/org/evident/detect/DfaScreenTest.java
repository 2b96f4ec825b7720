package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DfaScreenTest {
  private static final Path SHARED = Path.of("../../shared");

  /** "false" must mean no match; "true" may be a widening (marked so below). {@code <LF>}: \n. */
  @ParameterizedTest
  @CsvSource(delimiter = '~', value = {
      "abc~xxabcxx~true",
      "abc~abx~false",
      "(?i)select~SeLeCt~true",
      "select~SeLeCt~false",
      "(?i)k~\u212a~true",
      "(?i)s~\u017f~true",
      "(?i:a)b~Ab~true",
      "(?i:a)b~AB~false",
      "a{2,3}b~xaab~true",
      "a{2,3}b~ab~false",
      "[^a-z]x~ax~false",
      "[^a-z]x~1x~true",
      "(?i)[^a-z]x~Ax~false",
      // a caseless class takes its letters' other cases, also beyond ASCII, before negation
      "(?i)[^k]x~\u212ax~false",
      "(?i)[^k]x~\u017fx~true",
      "(?i)[\\x00-\\x7f]x~\u212ax~true",
      "[\\x00-\\x7f]x~\u212ax~false",
      "(?i)[\\x00-\\x7f]y[\\x00-\\x7f]~\u017fy\u212a~true",
      "(?i)[\\x00-\\x7f]y[\\x00-\\x7f]~\u00e9y\u212a~false",
      "\\x41\\n~A<LF>~true",
      "\\Qa.b\\E~a.b~true",
      "\\Qa.b\\E~axb~false",
      "x\\p{Greek}y~x\u03b1y~true",
      "x\\p{Greek}y~xy~false",
      "[[:digit:]]{3}~ab12~false",
      "[[:digit:]]{3}~a123~true",
      "\\d\\s\\w~1 a~true",
      "\\d\\s\\w~1a ~false",
      "a.c~a<LF>c~true",
      "^abc$~xabcx~false",
      "^abc$~abc~true",
      "abc$~abcx~false",
      "(?:^|;)id~x;id~true",
      "(?:^|;)id~xid~false",
      "^a|b~xb~true",
      "^a|b~xa~false",
      "^[;|]+$~;|~true",
      "^[;|]+$~;x|~false",
      "\\Aab\\z~ab~true",
      "x*~~true",
      "^$~~true",
      "a$~~false",
      // word boundaries, as RE2 reads them: ASCII word characters, the ends non-word
      "\\bjndi~xjndi~false",
      "\\bjndi~x.jndi~true",
      "\\bjndi~jndi~true",
      "\\bjndi\\b~jndi_~false",
      "\\bjndi\\b~(jndi)~true",
      "jndi\\B~jndix~true",
      "jndi\\B~jndi~false",
      "\\Bx~x~false",
      "\\B~~true",
      "\\b~~false",
      "x\\b\\b~x~true",
      "\\b^x~x~true",
      "(?:\\b|^)@~@~true",
      "$^~~true",
      "$^~ab~false",
      "\\b$^~ab~false",
      "\\b@~a@~true",
      "\\b@~ @~false",
      "on\\b~\u00e9on\u00e9~true",
      // widened: multi-line anchors match anywhere, long counts are unbounded
      "(?m)^abc$~x<LF>abcx~true",
      "a{20}~aaaaaaaaaaaaaaaaa~true",
      "a{20}~aaaa~false"})
  void screensAsDocumented(String regex, String written, boolean expected) {
    String text = written == null ? "" : written.replace("<LF>", "\n");
    DfaScreen s = DfaScreen.of(regex);
    assertThat(s).as(regex).isNotNull();
    assertThat(s.mayMatch(text)).as(regex + " on " + text).isEqualTo(expected);
  }

  /**
   * YES: surely a match, which a negated rule needs to skip RE2/J; only where nothing was
   * widened, in any script (case folded as RE2/J folds it).
   */
  @ParameterizedTest
  @CsvSource(delimiter = '~', value = {
      "(?i)^get /[^ ]* http/1\\.[01]$~GET /a?b HTTP/1.1~2",
      "(?i)^get /[^ ]* http/1\\.[01]$~GET /a?b HTTP/1.1x~0",
      "(?i)^get /[^ ]* http/1\\.[01]$~GET /\u00e9 HTTP/1.1~2",
      "(?i)^get /[^ ]* http/1\\.[01]$~GET /gr\u00f6\u00dfe-\u65e5\u672c HTTP/1.1~2",
      "(?i)\\W~s~0",
      "(?i)\\W~\u212a~0",
      "(?i)[\\W]~k~0",
      "(?i)[[:^lower:]]~\u017f~0",
      "(?i)\\w~\u017f~2",
      "(?i)i~\u0130~0",
      "(?i)\u0130~i~0",
      "(?i)\u0432~\u1c80~0",
      "(?i)\u1c80~\u0432~2",
      "(?i)caf\u00e9~CAF\u00c9~2",
      "\\bget~get~2",
      "\\bget\\b~a get.~2",
      "\\bget\\b~forget~0",
      "(?m)^get~get~1",
      "a{20}~aaaaaaaaaaaaaaaaaaaa~1",
      "abc~xabcx~2"})
  void surelyMatchesOnlyWhenNothingWasWidened(String regex, String text, int expected) {
    assertThat(DfaScreen.of(regex).test(text)).as(regex + " on " + text).isEqualTo(expected);
  }

  /**
   * Where a match can only start at the text's start, the screen stops reading once nothing
   * that began there is alive: a surrogate pair after that point (which it would pass to RE2/J)
   * is never reached.
   */
  @Test
  void anAnchoredPatternStopsReadingWhereNoMatchCanStart() {
    String tail = "x\uD83D\uDE00";
    assertThat(DfaScreen.of("^[;|]+$").test(tail)).isEqualTo(DfaScreen.NO);
    assertThat(DfaScreen.of("^ab").test("ab" + tail)).isNotEqualTo(DfaScreen.NO);
    assertThat(DfaScreen.of("(?:^|/)[;|]+$").test(tail)).isEqualTo(DfaScreen.MAYBE);
    assertThat(DfaScreen.of("\\b^y").test(tail)).as("boundaries: read to the end")
        .isEqualTo(DfaScreen.MAYBE);
  }

  @Test
  void textsBeyondTheBasicPlaneAlwaysGoToRe2() {
    assertThat(DfaScreen.of("zzz").mayMatch("a\uD83D\uDE00b")).isTrue();
  }

  @Test
  void patternsItCannotWidenSafelyGetNoScreen() {
    assertThat(DfaScreen.of("[\\p{Greek}]x")).isNull(); // negating a widened class narrows it
    assertThat(DfaScreen.of("(a)\\1")).isNull();
  }

  /**
   * The one property that matters: whenever RE2/J finds a match, the screen does not say NO, and
   * it says YES only when RE2/J finds one. Checked
   * for every pattern of the built-in rules and of CRS, on a sample of every payload list (the
   * texts built to match them), plain, URL-decoded, lower-cased, and with letters RE2/J and the
   * JDK fold differently and other scripts in them.
   */
  @Test
  void neverRejectsWhatRe2Matches() throws IOException {
    List<String> patterns = patterns();
    List<String> texts = new ArrayList<>(payloadSample(40));
    // and in other scripts, with the letters whose case RE2/J and the JDK fold differently
    for (String t : payloadSample(80)) {
      texts.add(t.replace('s', '\u017f').replace('k', '\u212a').replace('i', '\u0131')
          .replace('I', '\u0130') + " caf\u00e9 \u0432\u1c80 \u65e5\u672c");
    }
    assertThat(patterns).hasSizeGreaterThan(300);
    assertThat(texts).hasSizeGreaterThan(1000);
    int matched = 0;
    int screened = 0;
    List<String> wrong = new ArrayList<>();
    for (String p : patterns) {
      DfaScreen s = DfaScreen.of(p);
      assertThat(s).as(p).isNotNull();
      Pattern re = Pattern.compile(p, Pattern.DOTALL);
      for (String t : texts) {
        int answer = s.test(t);
        if (re.matcher(t).find()) {
          matched++;
          if (answer == DfaScreen.NO) {
            wrong.add(p + " on " + t);
          }
        } else if (answer == DfaScreen.NO) {
          screened++;
        } else if (answer == DfaScreen.YES) {
          wrong.add("YES for " + p + " on " + t);
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(matched).as("texts that match, so the check means something").isGreaterThan(5000);
    assertThat(screened).as("non-matches the screen decides").isGreaterThan(matched * 10);
  }

  /**
   * Word boundaries on random texts of word characters, punctuation and spaces: every answer
   * agrees with RE2/J (the patterns are exact, so a match is YES and no match is NO).
   */
  @Test
  void wordBoundariesAgreeWithRe2() {
    String[] patterns = {"\\bab\\b", "\\Bab", "ab\\B", "\\b(?:a|b_)+\\b", "(?:^|\\b)b\\b.a",
        "a\\b\\Bb", "\\b", "\\B", "(?i)\\bA[^b]*\\b$", "x?\\b-\\b", "^\\Ba", "b\\B$"};
    SplittableRandom r = new SplittableRandom(11);
    String alphabet = "ab_ -.\u00e9";
    int matched = 0;
    for (String p : patterns) {
      DfaScreen s = DfaScreen.of(p);
      Pattern re = Pattern.compile(p, Pattern.DOTALL);
      for (int i = 0; i < 3000; i++) {
        StringBuilder b = new StringBuilder();
        for (int n = r.nextInt(8); n > 0; n--) {
          b.append(alphabet.charAt(r.nextInt(alphabet.length() - (i % 2 == 0 ? 1 : 0))));
        }
        String t = b.toString();
        boolean found = re.matcher(t).find();
        int answer = s.test(t);
        matched += found ? 1 : 0;
        if (t.indexOf('\u00e9') >= 0) { // beyond ASCII: sure only of what it read before
          assertThat(answer).as(p + " on " + t)
              .isNotEqualTo(found ? DfaScreen.NO : DfaScreen.YES);
        } else {
          assertThat(answer).as(p + " on '" + t + "'")
              .isEqualTo(found ? DfaScreen.YES : DfaScreen.NO);
        }
      }
    }
    assertThat(matched).as("texts that match, so the check means something").isGreaterThan(5000);
  }

  @Test
  void statesAreBoundedAndAnswersStaySound() {
    // the classic blow-up: the 17th character from the end is an a (2^16 states)
    String regex = "(?:a|b)*a(?:a|b){15}";
    DfaScreen s = DfaScreen.of(regex);
    Pattern re = Pattern.compile(regex);
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 3000; i++) {
      StringBuilder t = new StringBuilder();
      for (int k = 0; k < 60; k++) {
        t.append(r.nextBoolean() ? 'a' : 'b');
      }
      if (re.matcher(t).find()) {
        assertThat(s.mayMatch(t.toString())).isTrue();
      }
    }
    assertThat(s.states()).isLessThanOrEqualTo(DfaScreen.MAX_STATES);
  }

  @Test
  void threadsShareOneScreen() throws Exception {
    String regex = "(?i)(?:union\\s+select|sleep\\s*\\(|benchmark\\s*\\()";
    DfaScreen s = DfaScreen.of(regex);
    Pattern re = Pattern.compile(regex);
    String[] words = {"union", "select", " ", "sleep", "(", "benchmark", "x", "UNION", "\t"};
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        long seed = w;
        runs.add(pool.submit(() -> {
          SplittableRandom r = new SplittableRandom(seed);
          int wrong = 0;
          for (int i = 0; i < 20_000; i++) {
            StringBuilder t = new StringBuilder();
            for (int k = 0; k < 6; k++) {
              t.append(words[r.nextInt(words.length)]);
            }
            boolean matches = re.matcher(t).find();
            if (matches != s.mayMatch(t.toString())) {
              wrong++; // this pattern has nothing to widen: the screen must be exact
            }
          }
          return wrong;
        }));
      }
      for (Future<Integer> f : runs) {
        assertThat(f.get()).isZero();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** Every @rx pattern of CRS and every rx of the built-in rule files. */
  static List<String> patterns() throws IOException {
    List<String> out = new ArrayList<>();
    java.util.regex.Pattern crsRx = java.util.regex.Pattern.compile("\"@rx (.*)\" \\\\?$");
    try (Stream<Path> files = Files.list(SHARED.resolve("crs/rules"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".conf")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          Matcher m = crsRx.matcher(line.stripTrailing());
          if (m.find() && !m.group(1).contains("%{")) {
            out.add(m.group(1).replace("\\\"", "\""));
          }
        }
      }
    }
    java.util.regex.Pattern yamlRx = java.util.regex.Pattern.compile("^\\s*rx: '(.*)'\\s*$");
    try (Stream<Path> files = Files.walk(Path.of("../rules"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          Matcher m = yamlRx.matcher(line);
          if (m.find()) {
            out.add(m.group(1).replace("''", "'"));
          }
        }
      }
    }
    return out;
  }

  /** Every {@code step}-th line of every payload list, plain, URL-decoded and lower-cased. */
  static List<String> payloadSample(int step) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SHARED.resolve("payloads"))) {
      for (Path f : files.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        String[] lines = new String(Files.readAllBytes(f), StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i += step) {
          String l = lines[i];
          out.add(l);
          out.add(l.toLowerCase(java.util.Locale.ROOT));
          try {
            out.add(java.net.URLDecoder.decode(l.replace("+", "%2B"), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            // not valid percent-encoding: the plain form is enough
          }
        }
      }
    }
    return out;
  }
}
