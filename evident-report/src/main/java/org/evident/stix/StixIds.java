package org.evident.stix;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic STIX identifiers (RFC 4122 version 5 UUIDs): the same thing exported twice gets
 * the same id, so a consumer updates it instead of storing a duplicate.
 */
public final class StixIds {
  /** The namespace STIX 2.1 (section 2.9) fixes for cyber-observable ids. */
  static final UUID SCO_NAMESPACE = UUID.fromString("00abedb4-aa42-466c-9c01-fed23315a9b7");
  /** Evident's namespace for the domain objects it makes. */
  static final UUID EVIDENT_NAMESPACE = UUID.fromString("6f1c2b1e-3f0a-5d7c-9a4e-2b8d0c7e5a13");

  private StixIds() {}

  /** An SDO/SRO id from the parts that make the object what it is. */
  public static String of(String type, String... parts) {
    return type + "--" + uuid5(EVIDENT_NAMESPACE, type + "\u0000" + String.join("\u0000", parts));
  }

  /**
   * An SCO id as the specification computes it: over the canonical JSON of the object's
   * id-contributing properties, e.g. {@code {"value":"198.51.100.7"}}.
   */
  public static String observable(String type, String canonicalJson) {
    return type + "--" + uuid5(SCO_NAMESPACE, canonicalJson);
  }

  static UUID uuid5(UUID namespace, String name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      ByteBuffer ns = ByteBuffer.allocate(16);
      ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
      sha1.update(ns.array());
      sha1.update(name.getBytes(StandardCharsets.UTF_8));
      byte[] h = sha1.digest();
      h[6] = (byte) ((h[6] & 0x0f) | 0x50);
      h[8] = (byte) ((h[8] & 0x3f) | 0x80);
      ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
      return new UUID(b.getLong(), b.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
