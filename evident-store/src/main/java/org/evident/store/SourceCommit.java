package org.evident.store;

import java.util.List;
import java.util.Map;
import org.evident.evidence.SignedHead;

/**
 * Everything one source's scan adds, written in one transaction: if the process dies half-way the
 * store holds either all of it or none, and the next scan starts again from the same offset.
 *
 * @param scanId the scan
 * @param sourceId the source's id, or -1 for a new source (stdin is never remembered: -2)
 * @param source the source as it now stands
 * @param attacks attack rows
 * @param traffic request and attack counts per site and hour (epoch hours)
 * @param skipped skipped-line counts by reason, each placed at the site and hour of the request
 *     nearest before it (see {@link SkipKey})
 * @param segment the tree head committing to every line this commit covers, with its leaf
 *     hashes; null when the commit adds no lines
 * @param readError why the source could not be read past {@code source.lines()}, and where
 *     that is, or null
 */
public record SourceCommit(long scanId, long sourceId, SourceRecord source,
    List<AttackEvent> attacks, Map<TrafficKey, long[]> traffic, Map<SkipKey, Long> skipped,
    Segment segment, ReadBreak readError) {

  /**
   * A log that broke off while it was read, placed as skipped lines are (see {@link SkipKey}):
   * at the site and hour of the last request read before the break, so that the report of
   * that month and site names it; {@code hourMillis} is {@link SkipKey#UNDATED} and {@code site}
   * the source's default when no request came before it, and every month's report of that site
   * names it.
   */
  public record ReadBreak(String reason, String site, long hourMillis) {}

  /** A new segment: its head and the file its leaf hashes were streamed to. */
  public record Segment(SignedHead head, LeafFile.Writer leaves) {}

  /** A site and an hour (epoch milliseconds at the start of the hour, UTC). */
  public record TrafficKey(String site, long hourMillis) {}

  /**
   * Where skipped lines are counted: a line that is not a request has no time or site of its
   * own, so it takes those of the nearest request before it in its batch (or after it, when
   * none is before; a batch with none takes the last request the scan read before it), and a
   * month's report counts the lines skipped in that month. Lines with no request near them at
   * all (a file of another format, garbage at the top of a log) are undated: {@code
   * hourMillis} is {@link #UNDATED} and {@code site} the source's default, and every month's
   * report of that site counts them.
   */
  public record SkipKey(String site, long hourMillis, String reason) {
    public static final long UNDATED = Long.MIN_VALUE;
  }
}
