package org.evident.store;

/**
 * One row of a ranked table.
 *
 * @param key the value counted by (a country code, an ASN, a class, a URL ...); may be null
 * @param label a readable name for it (country name, AS organisation); may equal the key
 * @param attacks attack requests
 * @param sources distinct source addresses
 * @param share attacks as a fraction of all attacks in scope (0..1)
 */
public record CountRow(String key, String label, long attacks, long sources, double share) {}
