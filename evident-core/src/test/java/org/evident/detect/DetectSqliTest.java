package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectSqliTest {
  private final DetectSqli op = new DetectSqli("segments");

  @ParameterizedTest
  @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
      "1' or '1'='1~true",
      "admin'--~true",
      "' or 1=1--~true",
      "1 or 1=1~true",
      "1) and (2>1~true",
      " or 'a'='a~true",
      "') or ('x'='x~true",
      "1; drop table users~true",
      "1 union all select null,null~true",
      "sleep(5)~true",
      "1 waitfor delay '0:0:5'~true",
      "'-'~true",
      "x' and extractvalue(1,concat(0x7e,version()))~true",
      "O'Brien~false",
      "try stty 0' -- it works much better.~false",
      "nezvannyi gost'--khuzhe tatarina.~false",
      "use linux.\" -- like that one.~false",
      "admin' -- -~true",
      "admin' -- x~true",
      "admin'-- aybt~true",
      "admin' -- ab ~true",
      "admin' -- ab 1~true",
      "admin' --+~true",
      "select a shoe~false",
      "rock 'n' roll~false",
      "union jack t-shirt~false",
      "Union (class in ctypes)~false",
      "union() (frozenset method)~false",
      "1 union(select 1)~true",
      "sleep() (in module asyncio)~false",
      "\"And they told us, what they wanted...~false",
      "' and x=1~true",
      "' and sleep(5)~true",
      " ORDER BY 5 ~true",
      "1 order by 3--~true",
      "books in order by 2025 date~false",
      " or 2 between 1 and 3~true",
      " or 'whatever' in ('whatever')~true",
      " or (EXISTS)~true",
      "1 and user_name() = 'dbo'~true",
      "or in the morning~false",
      "/api/items/1 or 1=1~true",
      "/api/items/1 union select null,null/x~true",
      "/blog/2019/or-not-to-be~false",
      "/docs/1 and 2/intro~false",
      "And 1.1.81 is officially BugFree(tm), so~false",
      "what is 1=1 in maths~false",
      "Where's my order?~false",
      "price>100 and size<10~false",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)~false",
      "{\"a\":\"b\",\"c\":[1,2]}~false",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc~false"})
  void judgesByTokenShape(String value, boolean attack) {
    assertThat(op.find(value.toLowerCase(java.util.Locale.ROOT)) != null).as(value)
        .isEqualTo(attack);
  }

  /** The word check before the tokeniser: "or" inside a word is no logic operator. */
  @ParameterizedTest
  @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
      "store information for more~false",
      "a or b~true",
      "A OR b~true",
      "x.or y~false",
      ".or 1~true",
      ".5or~false",
      "1or1=1~false",
      "@or~false",
      "_and~false",
      "o'brien~true",
      "say \"hi\"~true",
      "a;b~true",
      "a||b~true",
      "a&&b~true",
      "a&b=c~false",
      "order by 5~true",
      "pg_sleep(5)~true",
      "union~true",
      "café or tea~true",
      "café au lait~false",
      "grüße und küsse~false",
      "benchmar\u212A(5,md5(1))~true",
      "\u0130~true",
      "a\uD83D\uDE00b~true",
      "~false"})
  void aWordCheckSkipsWhatCannotTurnSuspicious(String value, boolean may) {
    assertThat(DetectSqli.mayTurnSuspicious(value == null ? "" : value)).as(value)
        .isEqualTo(may);
  }

  /** The characters the word check sends to the tokeniser, because lower case makes ASCII. */
  @Test
  void exactlyTwoCharactersBeyondAsciiLowerToAscii() {
    for (char c = 128; c != 0; c++) {
      boolean ascii = !Character.isSurrogate(c) && String.valueOf(c)
          .toLowerCase(java.util.Locale.ROOT).chars().anyMatch(x -> x < 128);
      assertThat(DetectSqli.lowersToAscii(c)).as("U+%04X", (int) c).isEqualTo(ascii);
    }
  }

  /**
   * Without {@code segments} a path is read whole, as libinjection reads it: CRS 942101's
   * regression tests 10 and 11 expect these paths to pass, while Evident's EV-942900 reads their
   * segments and flags them.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '~', value = {
      "/post/foo/9'union all/bar~false~true",
      "/post/foo/24 union all select 1,2,3 from aa/bar~false~true",
      "/api/items/1 or 1=1~false~true",
      "1' or '1'='1~true~true",
      "/' or 1=1--~true~true",
      "/blog/2019/or-not-to-be~false~false",
      "/post/*/*/2 union all/bar~true~true",
      "/the/state/of/the/union/address~false~false",
      "a b c union select 1~true~true",
      "a b c d union select 1~false~true"})
  void readsPathSegmentsOnlyWhenAsked(String value, boolean whole, boolean bySegment) {
    assertThat(new DetectSqli("").find(value) != null).as(value).isEqualTo(whole);
    assertThat(op.find(value) != null).as(value).isEqualTo(bySegment);
  }

  @Test
  void takesNoOtherArgument() {
    assertThat(Operators.create("detectSQLi", "segments")).isInstanceOf(DetectSqli.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Operators.create("detectSQLi", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'segments'");
  }

  /** The check may only skip values the tokeniser would find harmless. */
  @Test
  void theWordCheckNeverSkipsASuspiciousValue() {
    SplittableRandom random = new SplittableRandom(11);
    String[] pieces = {"or", "and", "union", "select", "order", "by", "sleep", "(", ")", "1", "=",
        " ", ".", "'", "\"", ";", "|", "&", "x", "@", "_", "$", "-", "#", "/*", "é", "waitfor",
        "\u212A", "\u0130", "benchmar", "OR", "\u0661", "\u00a0"};
    int suspicious = 0;
    for (int round = 0; round < 200_000; round++) {
      StringBuilder b = new StringBuilder();
      for (int k = random.nextInt(9); k >= 0; k--) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      String v = b.toString();
      if (op.find(v) != null) {
        suspicious++;
        assertThat(DetectSqli.mayTurnSuspicious(v)).as(v).isTrue();
      }
    }
    assertThat(suspicious).as("the sample holds suspicious values").isGreaterThan(1000);
  }
}
