package org.evident.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.evident.json.JsonTrees;


/**
 * A stored tree head and, once signed, the key that signed it and the signature.
 *
 * @param keyId the signing key's id, or null while unsigned
 * @param signature base64 Ed25519 signature over {@link TreeHead#canonical()}, or null
 */
public record SignedHead(TreeHead head, String keyId, String signature) {
  public boolean signed() {
    return signature != null;
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonTrees.object();
    o.set("head", head.toJson());
    o.put("key_id", keyId);
    o.put("signature", signature);
    return o;
  }

  public static SignedHead fromJson(JsonNode o) {
    return new SignedHead(TreeHead.fromJson(o.path("head")), o.path("key_id").asText(null),
        o.path("signature").asText(null));
  }
}
