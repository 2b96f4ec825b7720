package org.evident.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The YAML files people write (rule files, the TAXII server's configuration) read as trees and
 * checked the same way: a syntax error names its problem and place, a misspelt key or a value
 * where a list belongs is an error. Either, read as absent, would make a file quietly do other
 * than its author wrote: a rule run at every status, a collection shared whole.
 */
public final class YamlTrees {
  private YamlTrees() {}

  /** Made on first use: a scan with warm caches reads no YAML and skips its start-up. */
  private static final class Holder {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
  }

  /**
   * The tree of a YAML text (null for an empty one).
   *
   * @throws IllegalArgumentException "not valid YAML: " and the problem, at line and column
   */
  public static JsonNode read(String text) {
    try {
      return Holder.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException("not valid YAML: " + problem(e));
    }
  }

  /**
   * The parser's problem and where it found it. Jackson's message is several lines: the context
   * ("while parsing a block collection"), a quote of the text, then the problem, which is what a
   * person needs.
   */
  private static String problem(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException m && m.getProblem() != null) {
        Mark at = m.getProblemMark();
        return m.getProblem() + (at == null ? ""
            : " at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1));
      }
    }
    if (e instanceof JsonProcessingException j) {
      return JsonTrees.problem(j);
    }
    String s = String.valueOf(e.getMessage());
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * Refuses a key of {@code node} that is neither in {@code keys} nor, lowercased, in
   * {@code more} (named {@code moreName} in the message, e.g. "an operator").
   *
   * @param where what the message starts with, made only when it is needed
   */
  public static void knownKeys(JsonNode node, Set<String> keys, Set<String> more,
      String moreName, Supplier<String> where) {
    for (var it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!keys.contains(key) && !more.contains(key.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(where.get() + "unknown key '" + key + "' (known: "
            + String.join(", ", new TreeSet<>(keys))
            + (more.isEmpty() ? "" : ", or " + moreName) + ")");
      }
    }
  }

  public static void knownKeys(JsonNode node, Set<String> keys, Supplier<String> where) {
    knownKeys(node, keys, Set.of(), null, where);
  }

  /**
   * The list under {@code key}, or an empty node where there is none. Anything else is a
   * mistake to name: a number was read as an empty list, and a mapping as its values.
   *
   * @param what what follows "must be a list" in the message, e.g. " of rule ids"
   */
  public static JsonNode list(JsonNode node, String key, Supplier<String> where, String what) {
    JsonNode n = node.path(key);
    if (!n.isMissingNode() && !n.isNull() && !n.isArray()) {
      throw new IllegalArgumentException(where.get() + key + " must be a list" + what);
    }
    return n;
  }

  /** The mapping under {@code key}, or an empty node where there is none; else an error. */
  public static JsonNode mapping(JsonNode node, String key, Supplier<String> where,
      String example) {
    JsonNode n = node.path(key);
    if (!n.isMissingNode() && !n.isNull() && !n.isObject()) {
      throw new IllegalArgumentException(where.get() + key + " must be a mapping" + example);
    }
    return n;
  }
}
