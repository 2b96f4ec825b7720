package org.evident.evidence;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.evident.json.JsonTrees;

/**
 * The evidence bundle: one JSON document a third party can check with nothing but it and the
 * signer's public key. Its layout (documented in docs/evidence.md):
 * <pre>
 * { "format": "evident.evidence/1",
 *   "signed": { kind, created, key_id, ruleset(s), claims, rests_on, chain, lines_sha256? },
 *   "signature": base64 Ed25519 over the canonical form of "signed",
 *   "public_key": PEM (a convenience: it proves nothing about who signed),
 *   "heads": [ {head, key_id, signature}, ... every head from the first ],
 *   "rules": [ the rules that fired on disclosed lines ],
 *   "disclosed": [ {segment, leaf_index, leaf, time, site, source_ip, country, class, rules,
 *                   line | line_base64, proof: [hex...]}, ... ] }
 * </pre>
 * Each disclosed entry is the signer's claim about a line (everything but the line and its proof)
 * plus the line and proof, which prove themselves against the signed heads. The claims of all
 * entries are bound by {@code lines_sha256}, the SHA-256 of the canonical JSON list of them, so
 * none can be dropped, added, re-ordered or re-labelled, while both writing and checking stream
 * the lines with flat memory however many there are.
 */
public final class EvidenceBundle {
  public static final String FORMAT = "evident.evidence/1";

  private EvidenceBundle() {}

  /** A disclosed line as the signer claims it; {@code line} is its exact bytes. */
  public record Line(long segment, long leafIndex, byte[] line, String time, String site,
      String sourceIp, String country, String attackClass, List<String> ruleIds) {

    /** The claim part of the entry: what {@code lines_sha256} covers. */
    ObjectNode claim() {
      ObjectNode o = JsonTrees.object();
      o.put("segment", segment);
      o.put("leaf_index", leafIndex);
      o.put("leaf", HexFormat.of().formatHex(Merkle.leafHash(line)));
      o.put("time", time);
      o.put("site", site);
      o.put("source_ip", sourceIp);
      o.put("country", country);
      o.put("class", attackClass);
      ArrayNode r = o.putArray("rules");
      ruleIds.forEach(r::add);
      return o;
    }
  }

  /** Fields of a disclosed entry that are not part of its claim. */
  static final java.util.Set<String> PROOF_FIELDS = java.util.Set.of("line", "line_base64",
      "proof");

  /**
   * SHA-256 of the canonical JSON list of entry claims, fed one claim at a time.
   */
  public static final class LinesDigest {
    private final java.security.MessageDigest d = Merkle.sha256();
    private long count;

    public void add(Line l) {
      add(l.claim());
    }

    void add(com.fasterxml.jackson.databind.JsonNode claim) {
      d.update((byte) (count++ == 0 ? '[' : ','));
      d.update(CanonicalJson.bytes(claim));
    }

    public long count() {
      return count;
    }

    public String hex() {
      if (count == 0) {
        d.update((byte) '[');
      }
      d.update((byte) ']');
      return HexFormat.of().formatHex(d.digest());
    }
  }

  /** The line as JSON text when it is valid UTF-8, else base64 of its bytes. */
  static void putLine(ObjectNode o, byte[] line) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line)).toString();
      o.put("line", s);
    } catch (CharacterCodingException e) {
      o.put("line_base64", Base64.getEncoder().encodeToString(line));
    }
  }

  /** Compact JSON with each element of the top-level lists on a line of its own. */
  private static final class OnePerLine
      extends com.fasterxml.jackson.core.util.MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
      super.writeStartArray(g);
      if (topLevel(g)) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(topLevel(g) ? ",\n" : ",");
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(':');
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(g.getOutputContext().getParent().inRoot() ? ",\n" : ",");
    }

    private static boolean topLevel(JsonGenerator g) {
      com.fasterxml.jackson.core.JsonStreamContext c = g.getOutputContext();
      return c.inArray() && c.getParent() != null && c.getParent().getParent() != null
          && c.getParent().getParent().inRoot();
    }
  }

  /** Receives the disclosed lines, in the order their digest was computed, with proofs. */
  public interface LineSink {
    void accept(Line line, InclusionProof proof) throws IOException;
  }

  /** Produces the disclosed lines into a sink (a second pass over the same selection). */
  public interface LineSource {
    void writeTo(LineSink sink) throws IOException;
  }

  /**
   * Writes a bundle. {@code signed} is completed with the key id and the chain, then signed;
   * disclosed lines are streamed from {@code lines} (pass null for a signed report).
   */
  public static void write(OutputStream out, ObjectNode signed, SiteKey key,
      List<SignedHead> heads, List<ObjectNode> rules, LineSource lines) throws IOException {
    signed.put("key_id", key.keyId());
    ObjectNode chain = signed.putObject("chain");
    chain.put("length", heads.size());
    chain.put("last_hash", heads.isEmpty() ? TreeHead.GENESIS
        : heads.get(heads.size() - 1).head().hash());
    String signature = key.sign(CanonicalJson.bytes(signed));
    try (JsonGenerator g = JsonTrees.factory()
        .createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeFieldName("signed");
      g.useDefaultPrettyPrinter();
      JsonTrees.write(g, signed);
      g.setPrettyPrinter(new OnePerLine());
      g.writeStringField("signature", signature);
      g.writeStringField("public_key", key.publicPem());
      g.writeArrayFieldStart("heads");
      for (SignedHead h : heads) {
        JsonTrees.write(g, h.toJson());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("rules");
      for (ObjectNode r : rules) {
        JsonTrees.write(g, r);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("disclosed");
      if (lines != null) {
        lines.writeTo((x, p) -> {
          ObjectNode d = x.claim();
          putLine(d, x.line());
          ArrayNode pa = d.putArray("proof");
          for (byte[] h : p.path()) {
            pa.add(HexFormat.of().formatHex(h));
          }
          JsonTrees.write(g, d);
        });
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }
}
