package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OperatorsTest {

  @ParameterizedTest(name = "@{0} {1} on {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "rx|un(ion)+|a union b|union",
      "rx|^x|yx|",
      "rxQuoteBreak|['\"]\\s*--|admin' --|' --",
      "rxQuoteBreak|['\"]\\s*--|\"It's like deja vu.\" -- Yogi Berra|",
      "rxQuoteBreak|['\"]\\s*--|a \"b\" -- c' --|' --",
      "rxQuoteBreak|['\"]\\s*or\\s*['\"]|x' or 'a'='a|' or '",
      "rxQuoteBreak|['\"]\\s*and\\s*['\"]|'earth' and 'air'|",
      "rxQuoteBreak|['\"]\\s*and\\s*['\"]|\"true\" and \"false\"|",
      "rxQuoteBreak|['\"]\\s*or\\s*['\"]|\"core\" x' or 'y|' or '",
      "rxQuoteBreak|--|a -- b|--",
      "rxQuoteBreak|['\"]\\s*and\\s*['\"]|i'd take 'this++' and 'that|",
      "rxQuoteBreak|['\"]\\s*and\\s*['\"]|we're 'in' and 'out' x' and '|' and '",
      "rxQuoteBreak|['\"]\\s*or\\s*['\"]|it's x' or 'a'='a|' or '",
      "rxQuoteBreak|['\"]\\s*or\\s*['\"]|o'brien x' or 'a|",
      "pm|foo bar|xxBARxx|bar",
      "pm|foo bar|baz|",
      "contains|ab|xaby|xaby",
      "contains|ab|ba|",
      "beginsWith|/adm|/admin|/admin",
      "beginsWith|/adm|x/adm|",
      "endsWith|.bak|a.bak|a.bak",
      "endsWith|.bak|a.baks|",
      "streq|GET|GET|GET",
      "streq|GET|get|",
      "within|GET POST|POST|POST",
      "within|GET POST|PUT|",
      "eq|5|5|5",
      "eq|5|6|",
      "ge|10|10|10",
      "gt|10|10|",
      "le|3|2|2",
      "lt|3|abc|abc",
      "ipMatch|10.0.0.0/8,192.0.2.1|10.2.3.4|10.2.3.4",
      "ipMatch|10.0.0.0/8,192.0.2.1|192.0.2.2|",
      "ipMatch|10.0.0.0/8|not-an-ip|",
      "validateUrlEncoding||a%2Fb|",
      "validateUrlEncoding||a%zzb|%zz",
      "validateUrlEncoding||a%4|%4",
      "validateUtf8Encoding||caf%C3%A9|",
      "validateUtf8Encoding||%C0%AF|%C0%AF",
      "validateUtf8Encoding||%ED%A0%80|%ED%A0%80",
      "validateUtf8Encoding||plain|",
      "validateByteRange|32-126|abc~|",
      "validateByteRange|32-126|abé|é",
      "validateByteRange|1-255|shoe \u978b|",
      "validateByteRange|32-126|shoe \u978b|\u978b",
      "validateByteRange|1-200|\u978b|\u978b",
      "unconditionalMatch||x|x",
      "noMatch||x|"})
  void operates(String name, String arg, String input, String expected) {
    String got = Operators.create(name, arg).find(input);
    assertThat(got).isEqualTo(expected == null || expected.isEmpty() ? null : expected);
  }
  /**
   * Ranges that refuse only a few control characters (CRS 920270-920272) are searched for
   * those: the first refused character in the text, wherever each kind first occurs. (Control
   * characters do not survive the table above.)
   */
  @Test
  void byteRangesThatRefuseFewCharactersFindTheFirst() {
    assertThat(Operators.create("validateByteRange", "1-255").find("a\u0000b")).isEqualTo("\u0000");
    assertThat(Operators.create("validateByteRange", "1-255").find("ab\u00ff\u978b")).isNull();
    Operator noTab = Operators.create("validateByteRange", "1-8,10-255");
    assertThat(noTab.find("a\tb\u0000")).isEqualTo("\t");
    assertThat(noTab.find("a\u0000b\t")).isEqualTo("\u0000");
    assertThat(noTab.find("a b")).isNull();
    assertThat(Operators.create("validateByteRange", "3-255").find("\u978b\u0002"))
        .isEqualTo("\u0002");
  }


  @Test
  void badArgumentsAreExplained() {
    assertThatThrownBy(() -> Operators.create("lt", "ten")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> Operators.create("validateByteRange", "1-300"))
        .hasMessageContaining("bad range");
    assertThatThrownBy(() -> Operators.create("ipMatch", "nope")).hasMessageContaining("not an IP");
    assertThatThrownBy(() -> Operators.create("detectTelepathy", "")).hasMessageContaining(
        "unknown operator");
  }

  @Test
  void rxRefusesBacktrackingConstructs() {
    assertThatThrownBy(() -> Operators.create("rx", "(a)\\1")).hasMessageContaining("RE2");
    assertThatThrownBy(() -> Operators.create("rx", "a(?=b)")).hasMessageContaining("RE2");
  }

  @Test
  void phraseMatchFindsOverlappingAndNonAsciiPhrases() {
    Operator pm = Operators.phrases(List.of("he", "she", "hers", "caf\u00e9"));
    assertThat(pm.find("ushers")).isEqualTo("she");
    assertThat(pm.find("le CAF\u00c9")).isEqualTo("caf\u00e9");
    assertThat(pm.find("cafe")).isNull();
  }

  @Test
  void fragmentsAreClipped() {
    String found = Operators.create("rx", "a+").find("a".repeat(1000));
    assertThat(found).hasSize(Operator.MAX_FRAGMENT);
  }
}
