package org.evident.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.evident.json.JsonTrees;

/**
 * The commitment to one ingested segment of a log: how many lines it had, the root of their
 * tree, and the hash of the head before it, so the heads form a chain and none can be dropped,
 * inserted or re-ordered afterwards without breaking it.
 *
 * @param seq position in the chain, from 1
 * @param source the log the lines came from
 * @param format the log format the lines are read with (to re-judge disclosed lines)
 * @param firstLine line number (1-based) in the source of the segment's first leaf
 * @param size leaves (lines) in the segment
 * @param root hex SHA-256 root of the segment's tree
 * @param prev hex hash of the previous head, or 64 zeros for the first
 * @param created when the head was made, ISO 8601 UTC
 */
public record TreeHead(long seq, String source, String format, long firstLine, long size,
    String root, String prev, String created) {

  public static final String GENESIS = "0".repeat(64);

  public ObjectNode toJson() {
    ObjectNode o = JsonTrees.object();
    o.put("seq", seq);
    o.put("source", source);
    o.put("format", format);
    o.put("first_line", firstLine);
    o.put("size", size);
    o.put("root", root);
    o.put("prev", prev);
    o.put("created", created);
    return o;
  }

  public static TreeHead fromJson(JsonNode o) {
    return new TreeHead(o.path("seq").asLong(-1), o.path("source").asText(null),
        o.path("format").asText(null), o.path("first_line").asLong(-1),
        o.path("size").asLong(-1), o.path("root").asText(""), o.path("prev").asText(""),
        o.path("created").asText(""));
  }

  /** The bytes that are hashed into the chain and signed. */
  public byte[] canonical() {
    return CanonicalJson.bytes(toJson());
  }

  /** Hex SHA-256 of the canonical form: what the next head names as {@code prev}. */
  public String hash() {
    return HexFormat.of().formatHex(Merkle.sha256().digest(canonical()));
  }
}
