package org.evident.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON trees read and written with Jackson's streaming parser and generator, giving the trees
 * and the text an {@code ObjectMapper} gives: every JSON document Evident reads or writes as a
 * tree goes through here, and an {@code ObjectMapper} is made only to read YAML. The first one a
 * process makes costs it 80-120 ms of CPU (its default date format builds a calendar from the
 * JDK's locale data, and its deserializers are built on first use), a tenth of a short scan's,
 * for nothing a scan needs. Never call {@code JsonNode.toString()} where that matters: Jackson
 * makes an {@code ObjectMapper} for it.
 */
public final class JsonTrees {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /** The shared factory: thread-safe, for parsers and generators of one's own. */
  public static JsonFactory factory() {
    return FACTORY;
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /**
   * What was wrong with a JSON text, for a person: the parser's reason and where, as "line L,
   * column C". Jackson's own message names the input ("[Source: REDACTED ...]", it may quote
   * it) and some reasons embed such a location of their own, which is left out.
   */
  public static String problem(JsonProcessingException e) {
    String reason = String.valueOf(e.getOriginalMessage());
    int marker = reason.indexOf(" (start marker at ");
    if (marker >= 0) {
      reason = reason.substring(0, marker);
    }
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      reason += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
    return reason;
  }

  /** The one JSON value {@code text} holds; anything after it but white space is an error. */
  public static JsonNode read(String text) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      return whole(p);
    }
  }

  public static JsonNode read(byte[] utf8) throws IOException {
    try (JsonParser p = FACTORY.createParser(utf8)) {
      return whole(p);
    }
  }

  private static JsonNode whole(JsonParser p) throws IOException {
    if (p.nextToken() == null) {
      throw new JsonParseException(p, "no JSON value");
    }
    JsonNode n = read(p);
    if (p.nextToken() != null) {
      throw new JsonParseException(p, "more than one JSON value");
    }
    return n;
  }

  /**
   * The value whose first token {@code p} is on (as {@code JsonParser.readValueAsTree}); the
   * parser is left on its last token.
   */
  public static JsonNode read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new JsonParseException(p, "no JSON value");
    }
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          o.set(name, read(p)); // a repeated name: the last value wins, as readTree has it
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(p));
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
            ? NODES.numberNode(p.getDecimalValue()) : NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new JsonParseException(p, "unexpected " + t);
    }
  }

  /** {@code n} as compact JSON text. */
  public static String write(JsonNode n) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      write(g, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  /** {@code n} as JSON text laid out by Jackson's default pretty printer. */
  public static String writePretty(JsonNode n) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.useDefaultPrettyPrinter();
      write(g, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  /** Writes {@code n} with {@code g}, in its pretty printer if it has one. */
  public static void write(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode e : n) {
          write(g, e);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(n.textValue());
      case NUMBER -> {
        switch (n.numberType()) {
          case INT -> g.writeNumber(n.intValue());
          case LONG -> g.writeNumber(n.longValue());
          case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
          case FLOAT -> g.writeNumber(n.floatValue());
          case DOUBLE -> g.writeNumber(n.doubleValue());
          default -> g.writeNumber(n.decimalValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(n.booleanValue());
      case NULL -> g.writeNull();
      case BINARY -> g.writeBinary(n.binaryValue());
      default -> throw new IllegalArgumentException("not a JSON value: " + n.getNodeType());
    }
  }
}
