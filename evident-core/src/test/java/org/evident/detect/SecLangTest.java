package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /** Words of a directive; '|' in the table separates the words expected. */
  @ParameterizedTest(name = "words({0})")
  @CsvSource(delimiter = ';', quoteCharacter = '^', value = {
      "SecRule ARGS \"@rx a b\" \"id:1\"; SecRule|ARGS|@rx a b|id:1",
      "\"a\\\"b\"; a\"b",
      "\"a\\\\b\"; a\\\\b",
      "\"a\\db\\\"c\\\"\"; a\\db\"c\"",
      "\"x\\\"; ERROR",
      "\"open; ERROR",
      "plain\"quote x; plain\"quote|x",
      "\"\" \"\"; |",
  })
  void wordsGroupQuotesAndUnescapeQuotes(String text, String expected) {
    if (expected.equals("ERROR")) {
      assertThatThrownBy(() -> SecLang.words(text, 3))
          .hasMessage("line 3: unterminated quoted argument");
      return;
    }
    assertThat(SecLang.words(text, 1)).containsExactly(expected.split("\\|", -1));
  }

  /** Actions: name, then value after ':' (single quotes group, backslash escapes a quote). */
  @ParameterizedTest(name = "actions({0})")
  @CsvSource(delimiter = ';', quoteCharacter = '^', value = {
      "id:1, t:none ,msg:'a, b'; id=1|t=none|msg=a, b",
      "msg:'it\\'s'; msg=it's",
      "logdata:'a\\b\\\\'c'; logdata=a\\b\\'c",
      "msg:'no end, x:1; msg=no end, x:1",
      "block,chain; block=null|chain=null",
      "setvar:tx.a=+1; setvar=tx.a=+1",
  })
  void actionsReadNamesAndValues(String list, String expected) {
    List<String> got = SecLang.parseActions(list).stream()
        .map(a -> a.name() + "=" + a.value()).toList();
    assertThat(got).containsExactly(expected.split("\\|"));
  }
}
