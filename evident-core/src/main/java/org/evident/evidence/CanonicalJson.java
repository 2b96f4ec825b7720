package org.evident.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.evident.json.JsonTrees;

/**
 * The one byte form of a JSON value that gets hashed and signed: object keys sorted, no
 * whitespace, integers only (so no two writers can disagree on how a number is spelled). The
 * same value always gives the same bytes, whoever re-serialises the bundle in between.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static byte[] bytes(JsonNode value) {
    return JsonTrees.write(sorted(value)).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode sorted(JsonNode v) {
    if (v.isObject()) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = v.fieldNames();
      it.forEachRemaining(names::add);
      names.sort(null);
      ObjectNode o = JsonTrees.object();
      for (String n : names) {
        o.set(n, sorted(v.get(n)));
      }
      return o;
    }
    if (v.isArray()) {
      ArrayNode a = JsonTrees.array();
      for (JsonNode e : v) {
        a.add(sorted(e));
      }
      return a;
    }
    if (v.isNumber() && !v.isIntegralNumber()) {
      throw new IllegalArgumentException("signed evidence holds integers only, not " + v);
    }
    return v;
  }
}
