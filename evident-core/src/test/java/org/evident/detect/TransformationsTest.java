package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TransformationsTest {

  @ParameterizedTest(name = "{0}({1}) = {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
      "urlDecodeUni|a%20b+c|a b c",
      "urlDecodeUni|%2527|'",
      "urlDecodeUni|%25252e%25252e|..",
      "urlDecodeUni|%u003cscript|<script",
      "urlDecodeUni|%zz%2|%zz%2",
      "urlDecodeUni|%C3%A9|\u00e9",
      "urlDecodeUni|%c0%af|\u00c0\u00af",
      "urlDecodeUni|plain|plain",
      "htmlEntityDecode|&lt;a&gt;|<a>",
      "htmlEntityDecode|&#60;&#x3c;&#X3C|<<<",
      "htmlEntityDecode|javascript&colon;|javascript:",
      "htmlEntityDecode|AT&T;|AT&T;",
      "lowercase|SeLeCt|select",
      "compressWhitespace|a \t\u000b b|a b",
      "replaceComments|union/**/select|union select",
      "replaceComments|a/*open|^a ^",
      "normalizePath|/a/./b//../c|/a/c",
      "normalizePath|/../../etc/passwd|/../../etc/passwd",
      "normalizePath|\\a\\..\\b|/b"})
  void transforms(String name, String input, String expected) {
    assertThat(Transformations.byName(name).apply(input)).isEqualTo(expected);
  }

  @Test
  void removeNullsDropsNul() {
    assertThat(Transformations.byName("removeNulls").apply("a\0b")).isEqualTo("ab");
  }

  @Test
  void unchangedInputIsReturnedAsIs() {
    String s = "/plain/path";
    for (String n : Transformations.names()) {
      if (!n.equals("normalizePath")) {
        assertThat(Transformations.byName(n).apply(s)).as(n).isSameAs(s);
      }
    }
  }

  @Test
  void namesAreCaseInsensitiveAndUnknownOnesExplained() {
    assertThat(Transformations.byName("URLDECODEUNI").name()).isEqualTo("urlDecodeUni");
    assertThatThrownBy(() -> Transformations.byName("rot13")).hasMessageContaining("unknown");
  }
}
