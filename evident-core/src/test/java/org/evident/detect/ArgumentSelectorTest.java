package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgumentSelectorTest {

  /** A variable's keys ("-" for a plain ARGS, "!" before one left out), a name, read or not. */
  @ParameterizedTest(name = "{0} reads {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "_method|_method|true",
      "_method|_METHOD|true", // any case, as ModSecurity compares
      "_method|%5Fmethod|true", // decoded once, as its argument parser decodes
      "_method|%255Fmethod|false", // once only
      "_method|method|false",
      "_method|http_method|false",
      "_method|_method2|false",
      "q,search|search|true",
      "q,search|s|false",
      "/^utm_/|utm_source|true",
      "/^utm_/|UTM_Source|true", // patterns in any case too
      "/^utm_/|x_utm_source|false",
      "/^json\\./|json.profile|true",
      "-,!password|password|false",
      "-,!password|Password|false",
      "-,!password|user|true",
      "-,!/^pass/|passwd|false",
      "-|anything|true",
      "q,-|anything|true", // ARGS:q|ARGS reads them all
      "q,!q|q|false",
  })
  void selectsArgumentsByName(String keys, String name, boolean read) {
    List<String> parts = Arrays.asList(keys.split(","));
    List<String> only = parts.stream().filter(k -> !k.startsWith("!"))
        .map(k -> k.equals("-") ? null : k).toList();
    List<String> except = parts.stream().filter(k -> k.startsWith("!"))
        .map(k -> k.substring(1)).toList();
    assertThat(ArgumentSelector.of(only, except).selects(name)).isEqualTo(read);
  }

  @org.junit.jupiter.api.Test
  void aPlainVariableReadsEveryArgument() {
    assertThat(ArgumentSelector.of(java.util.Collections.singletonList(null), List.of()).all())
        .isTrue();
    assertThat(ArgumentSelector.of(List.of("q"), List.of()).all()).isFalse();
  }

  @org.junit.jupiter.api.Test
  void aPatternRe2RefusesSaysSo() {
    assertThatThrownBy(() -> ArgumentSelector.of(List.of("/(?<=x)a/"), List.of()))
        .hasMessageContaining("argument name pattern /(?<=x)a/ does not compile");
  }
}
