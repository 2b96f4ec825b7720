package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OperatorsTest {

  @ParameterizedTest(name = "@{0} {1} on {2}")
  @CsvSource(delimiter = '|', value = {
      "rx|un(ion)+|a union b|union",
      "rx|^x|yx|",
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
      "within|GET POST|PUT|"})
  void operates(String name, String arg, String input, String expected) {
    String got = Operators.create(name, arg).find(input);
    assertThat(got).isEqualTo(expected == null || expected.isEmpty() ? null : expected);
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
