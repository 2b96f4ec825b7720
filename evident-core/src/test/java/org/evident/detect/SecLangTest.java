package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecLangTest {

  /** Lines as {@code split("\r?\n", -1)} gives them; '|' in the table stands for a line end. */
  @ParameterizedTest(name = "lines({0})")
  @CsvSource(delimiter = ';', quoteCharacter = '^', value = {
      "a\\r\\nb\\nc; a|b|c",
      "a\\n; a|",
      "^^; ^^",
      "\\r\\n; |",
      "a\\rb\\n; a\\rb|",
      "\\r; \\r",
      "\\n\\n\\r\\n; |||",
  })
  void linesEndAtLineFeedsWithOrWithoutCarriageReturn(String text, String expected) {
    String in = text.replace("\\r", "\r").replace("\\n", "\n");
    List<String> want = Arrays.asList(expected.replace("\\r", "\r").split("\\|", -1));
    assertThat(SecLang.lines(in)).containsExactlyElementsOf(want)
        .containsExactly(in.split("\r?\n", -1));
  }
}
