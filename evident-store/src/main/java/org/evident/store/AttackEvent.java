package org.evident.store;

/**
 * One stored attack request: the row of the {@code attacks} table and of the events export.
 * Every field that came from the request is attacker-controlled text. {@code rawLine} holds the
 * line's exact bytes as Latin-1 characters (one char per byte), so any line survives the round
 * trip; {@code segment} and {@code leafIndex} place it in the committed tree (-1 until then);
 * {@code actor} is what imported threat intelligence says of its source, or null;
 * {@code matchedIn} is where in the request the first rule matched ({@code args:q},
 * {@code path}, {@code user_agent}, {@code request_cookies:sid}), or null where no rule did
 * (behavioural findings, rows stored before the field existed).
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
    String lineSha256,
    String rawLine,
    long segment,
    long leafIndex,
    String actor,
    String matchedIn) {

  /**
   * The same event placed in a committed segment.
   *
   * @param segment the tree head's sequence number
   * @param leafIndex the line's leaf position in that segment's tree
   */
  public AttackEvent inSegment(long segment, long leafIndex) {
    return new AttackEvent(epochMillis, site, sourceIp, ipScope, country, asn, asOrganisation,
        attackClass, ruleIds, severity, score, tool, method, target, status, userAgent, referer,
        matched, sourceFile, lineNumber, byteOffset, lineSha256, rawLine, segment, leafIndex,
        actor, matchedIn);
  }
}
