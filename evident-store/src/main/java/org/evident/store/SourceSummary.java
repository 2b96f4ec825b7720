package org.evident.store;

import java.util.List;

/**
 * One attacking source over a selection: what sharing formats (STIX) say about it.
 *
 * @param ip the source address
 * @param scope public, private, reserved ...
 * @param country ISO code, or null
 * @param asn AS number, or 0
 * @param asOrganisation the AS's organisation, or null
 * @param attacks attack requests from it
 * @param firstSeen epoch milliseconds of its first attack in the selection
 * @param lastSeen epoch milliseconds of its last
 * @param classes attack classes it was seen with, sorted
 * @param tools tools identified in its requests, sorted
 * @param actors threat intelligence labels it was tagged with, sorted
 */
public record SourceSummary(String ip, String scope, String country, long asn,
    String asOrganisation, long attacks, long firstSeen, long lastSeen, List<String> classes,
    List<String> tools, List<String> actors) {}
