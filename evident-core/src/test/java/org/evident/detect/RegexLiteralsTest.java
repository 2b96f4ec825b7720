package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexLiteralsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '~', nullValues = "NONE", value = {
      "union select~union select",
      "(?i)UNION\\s+SELECT~select",
      "ab*c~a",
      "abc?d~abd,abcd",
      "(?:foo|bar)baz~foobaz,barbaz",
      "(?:foo|bar)\\d+baz~baz",
      "\\bjndi:~jndi:",
      "<script[^>]*>~<script",
      "[\"'];~\";,';",
      "a.*~a",
      "(?:x|.)~NONE",
      "\\w+~NONE",
      "a*~NONE",
      "(?:ab)+c~ab",
      "(?:^|[\\x5c/;])\\.{2,3}[\\x5c/;]~..",
      "xa{2}y~xaay",
      "(?:x|y){2}~xx,xy,yx,yy",
      "z{20}~zzzzzzzz",
      "q{0,2}r~r",
      "\\x5c\\.\\.~\\..",
      "on(?:load|error)=~onload=,onerror=",
      "(?P<n>etc)/passwd~etc/passwd",
      "[a-z]{3,10}\\s~NONE",
      "(?:a|\\w)+~NONE",
      "(?:a|b)(?:c|d)\\d{2,}~ac,ad,bc,bd",
      "(?:a|b)(?:c|d)x{2,}~xx",
      "\\$+(?:[A-Z_a-z\\x7f-\\x{ff}][0-9A-Z_a-z]*|b)~$"})
  void requiredLiterals(String regex, String expected) {
    List<String> got = RegexLiterals.required(regex);
    if (expected == null) {
      assertThat(got).as(regex).isEmpty();
    } else {
      assertThat(got).as(regex).containsExactlyInAnyOrder(expected.split(","));
    }
  }
}
