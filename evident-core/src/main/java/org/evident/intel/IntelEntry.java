package org.evident.intel;

/**
 * One piece of imported threat intelligence that web logs can match.
 *
 * @param kind {@code network} (an address or CIDR), {@code domain} or {@code url}
 * @param value the address/CIDR, domain name or URL
 * @param actor who it points to: an intrusion set, threat actor, campaign, or the list's label
 * @param stixId the indicator it came from, or null for a plain list
 */
public record IntelEntry(String kind, String value, String actor, String stixId) {}
