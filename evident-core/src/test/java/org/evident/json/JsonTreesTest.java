package org.evident.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JsonTrees stands in for an ObjectMapper on the scan path, and tree heads are hashed from what
 * it writes: for every document here it must read the tree, and write the text, that an
 * ObjectMapper does.
 */
class JsonTreesTest {
  private static final ObjectMapper ORACLE = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {
      "{}", "[]", "0", "-1", "\"\"", "true", "false", "null",
      "{\"b\":1,\"a\":[2,\"x\",null,true,false,{}],\"c\":{\"d\":{\"e\":[]}}}",
      "[2147483647,2147483648,-2147483649,9223372036854775807,9223372036854775808]",
      "[-99999999999999999999999,0.5,-1.25e-7,1E+300,3.0]",
      "{\"esc\":\"quote \\\" backslash \\\\ tab \\t nl \\n nul \\u0000 bell \\u0007\"}",
      "{\"text\":\"\u00fcn\u00efc\u00f6de \u65e5\u672c \ud83d\ude00 \\u2028 \\ud83d\\ude00\"}",
      "{\"a\":1,\"a\":2}",
      "  {\"spaced\" : [ 1 , 2 ] }  ",
      "{\"deep\":[[[[[[[[[[1]]]]]]]]]]}"})
  void readsAndWritesAsAnObjectMapperDoes(String doc) throws IOException {
    JsonNode ours = JsonTrees.read(doc);
    JsonNode theirs = ORACLE.readTree(doc);
    assertThat(ours).isEqualTo(theirs);
    assertThat(JsonTrees.read(doc.getBytes(StandardCharsets.UTF_8))).isEqualTo(theirs);
    assertThat(JsonTrees.write(ours)).isEqualTo(ORACLE.writeValueAsString(theirs));
    assertThat(pretty(ours, false)).isEqualTo(pretty(theirs, true));
    assertThat(JsonTrees.writePretty(ours))
        .isEqualTo(ORACLE.writerWithDefaultPrettyPrinter().writeValueAsString(theirs));
  }

  /** As EvidenceBundle writes its signed part: a generator's default pretty printer. */
  private static String pretty(JsonNode n, boolean withMapper) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = withMapper ? ORACLE.getFactory().createGenerator(w)
        : JsonTrees.factory().createGenerator(w)) {
      g.useDefaultPrettyPrinter();
      if (withMapper) {
        g.writeTree(n);
      } else {
        JsonTrees.write(g, n);
      }
    }
    return w.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "{", "[1,]", "{\"a\"}", "1 2", "{} []", "nul", "'a'",
      "{\"a\":1}}"})
  void refusesWhatIsNotOneJsonValue(String doc) {
    assertThatThrownBy(() -> JsonTrees.read(doc)).isInstanceOf(IOException.class);
  }

  /** A person reads the reason and the place, never Jackson's "[Source: REDACTED ...]". */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "[[1] | Unexpected end-of-input: expected close marker for Array at line 1, column 5",
      "{\"a\":1,\\n}  | Unexpected character ('}' (code 125)): was expecting double-quote to"
          + " start field name at line 2, column 1",
      "{\"a\":1}} | Unexpected close marker '}': no open Object to close at line 1, column 8",
      "nul | Unrecognized token 'nul': was expecting (JSON String, Number, Array, Object or"
          + " token 'null', 'true' or 'false') at line 1, column 1"})
  void saysWhatWasWrongAndWhere(String doc, String problem) {
    String text = doc.replace("\\n", "\n");
    assertThatThrownBy(() -> JsonTrees.read(text))
        .isInstanceOf(JsonProcessingException.class)
        .satisfies(e -> assertThat(JsonTrees.problem((JsonProcessingException) e))
            .isEqualTo(problem));
  }

  /**
   * Hostile depth ends in an error, not a stack overflow: TAXII envelopes and evidence bundles
   * come from others, and the reader recurses once per level (the parser refuses more than
   * Jackson's default of 1,000).
   */
  @org.junit.jupiter.api.Test
  void refusesNestingDeeperThanTheParserAllows() throws IOException {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> JsonTrees.read(deep)).isInstanceOf(IOException.class)
        .hasMessageContaining("depth");
    String ok = "[".repeat(500) + "]".repeat(500);
    assertThat(JsonTrees.write(JsonTrees.read(ok))).isEqualTo(ok);
  }
}
