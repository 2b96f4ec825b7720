package org.evident.store;

/**
 * One stored attack request: the row of the {@code attacks} table and of the events export.
 * Every field that came from the request is attacker-controlled text.
 */
public record AttackEvent(
    long epochMillis,
    String site,
    String sourceIp,
    String ipScope,
    String country,
    long asn,
    String asOrganisation,
    String attackClass,
    String ruleIds,
    String severity,
    int score,
    String tool,
    String method,
    String target,
    int status,
    String userAgent,
    String referer,
    String matched,
    String sourceFile,
    long lineNumber,
    long byteOffset,
    String lineSha256) {}
