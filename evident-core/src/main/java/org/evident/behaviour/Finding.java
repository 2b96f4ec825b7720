package org.evident.behaviour;

import java.util.List;

/**
 * A behavioural attack: what one source did within one window.
 *
 * @param sourceIp the source
 * @param attackClass {@code brute-force}, {@code enumeration}, {@code scan-breadth} or
 *     {@code flood}
 * @param ruleId the detector's id
 * @param summary in words, e.g. "12 failed logins to /wp-login.php within 60 s"
 * @param firstMillis time of the window's first request
 * @param lastMillis time of the request that completed it
 * @param lines line numbers of the requests that made the window (at most the threshold)
 */
public record Finding(String sourceIp, String attackClass, String ruleId, String summary,
    long firstMillis, long lastMillis, List<Long> lines) {}
