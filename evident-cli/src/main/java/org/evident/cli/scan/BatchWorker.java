package org.evident.cli.scan;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.evident.detect.Detector;
import org.evident.detect.Match;
import org.evident.detect.Verdict;
import org.evident.evidence.Merkle;
import org.evident.geo.Location;
import org.evident.geo.Locator;
import org.evident.log.BadLineException;
import org.evident.log.LineParser;
import org.evident.log.LogFormats;
import org.evident.log.Request;
import org.evident.net.TrustedProxies;
import org.evident.store.AttackEvent;

/**
 * Turns one batch of raw lines into requests, verdicts and stored rows: decode, parse, resolve
 * the client, judge, locate. Runs on a worker thread; shares only immutable or thread-safe parts.
 */
final class BatchWorker {
  private final Detector detector;
  private final Locator locator;
  private final TrustedProxies proxies;
  private final String defaultSite;
  private final ServedSites served;
  private final String sourceName;

  BatchWorker(Detector detector, Locator locator, TrustedProxies proxies, String defaultSite,
      ServedSites served, String sourceName) {
    this.detector = detector;
    this.locator = locator;
    this.proxies = proxies;
    this.defaultSite = defaultSite;
    this.served = served;
    this.sourceName = sourceName;
  }

  BatchResult process(LineBatch b, LineParser parserAtStart) {
    BatchResult out = new BatchResult(b.count);
    LineParser parser = parserAtStart.copy();
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    MessageDigest sha = sha256();
    Detector.ThreadJudge judge = detector.forThisThread();
    out.endOffset = b.endOffset;
    out.leaves = new byte[b.count * Merkle.HASH_BYTES];
    for (int i = 0; i < b.count; i++) {
      leaf(b, i, sha, out.leaves);
      line(b, i, parser, utf8, sha, judge, out);
    }
    out.finish(defaultSite);
    out.parserState = parser.state();
    return out;
  }

  /** The line's RFC 9162 leaf hash, computed here so the committing thread only folds them. */
  private static void leaf(LineBatch b, int i, MessageDigest sha, byte[] into) {
    int len = b.lengths[i];
    if (len < 0) {
      System.arraycopy(b.longLineLeaves.get(i), 0, into, i * Merkle.HASH_BYTES, Merkle.HASH_BYTES);
      return;
    }
    sha.reset();
    sha.update((byte) 0);
    sha.update(b.data, b.starts[i], len);
    try {
      sha.digest(into, i * Merkle.HASH_BYTES, Merkle.HASH_BYTES);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One line, start to finish. Kept out of the batch loop so the JIT compiles it as an ordinary
   * method once, instead of recompiling the whole loop on-stack several times during warm-up.
   */
  private void line(LineBatch b, int i, LineParser parser, CharsetDecoder utf8, MessageDigest sha,
      Detector.ThreadJudge judge, BatchResult out) {
    out.lines++;
    int len = b.lengths[i];
    if (len < 0) {
      out.skip("line-too-long");
      return;
    }
    if (len == 0) {
      out.skip("empty");
      return;
    }
    int start = b.starts[i];
    int text = LogFormats.textStart(b.data, start, len);
    String line = decode(b.data, text, len - (text - start), utf8, out);
    if (line == null) {
      out.skip("binary");
      return;
    }
    Request r;
    try {
      r = parser.parse(line);
    } catch (BadLineException e) {
      out.skip(e.reason());
      return;
    }
    if (r == null) {
      return; // a directive line
    }
    out.requests++;
    String client = proxies.clientOf(r.clientIp(), r.forwardedFor());
    if (!client.equals(r.clientIp())) {
      r = r.withClientIp(client);
    }
    String site = SiteNames.of(r.host(), defaultSite, served);
    Verdict v = judge.judge(r, site);
    long hour = Math.floorDiv(r.epochMillis(), 3_600_000L) * 3_600_000L;
    long[] counts = out.trafficFor(site, hour);
    counts[0]++;
    // behaviour needs the path only of failed or missing requests and of POSTs
    boolean pathMatters = r.status() == 404 || "POST".equals(r.method());
    out.observations.add(r.epochMillis(), r.clientIp(), r.method(), pathMatters ? r.path() : null,
        r.status(), v.attack() ? v.attackClass() : null, site, b.firstLineNumber + i,
        b.offsets[i]);
    if (!v.unscored().isEmpty()) {
      unscored(v, out);
    }
    if (!v.attack()) {
      return;
    }
    counts[1]++;
    Location loc = locator.locate(r.clientIp());
    sha.reset();
    sha.update(b.data, start, len);
    out.attacks.add(new AttackEvent(r.epochMillis(), site, r.clientIp(), loc.scope().label(),
        loc.country(), loc.asn(), loc.organisation(), v.attackClass(),
        ruleIds(v), v.severity() == null ? null : v.severity().label(),
        v.score(), v.tool(), r.method(), r.target(), r.status(), r.userAgent(), r.referer(),
        v.matches().isEmpty() ? null : v.matches().get(0).fragment(), sourceName,
        b.firstLineNumber + i, b.offsets[i], HexFormat.of().formatHex(sha.digest()),
        new String(b.data, start, len, StandardCharsets.ISO_8859_1), -1, -1, null,
        v.matches().isEmpty() ? null : v.matches().get(0).target()));
  }

  /** Counts what rules above the paranoia level (a higher detection level) would add. */
  private void unscored(Verdict v, BatchResult out) {
    out.unscored++;
    if (!v.attack() && v.score() + v.unscoredScore() >= detector.threshold()) {
      out.unscoredAttacks++;
    }
  }

  /**
   * The verdict's rule ids as stored, comma-separated. A loop rather than String.join over a
   * stream: this runs for every attack line, and the JDK's general joining code cost the JIT
   * more to compile than this costs to run.
   */
  private static String ruleIds(Verdict v) {
    StringBuilder b = new StringBuilder();
    for (Match m : v.matches()) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(m.ruleId());
    }
    return b.toString();
  }

  /**
   * Decodes a line: valid UTF-8 (ASCII included) as such, anything else byte for byte (counted
   * as repaired, still parsed). Lines with NUL bytes are binary and give {@code null}. The common
   * case costs the JDK's vectorised UTF-8 decoding and one vectorised search for NUL and for the
   * replacement character; only lines holding either are looked at byte by byte.
   */
  static String decode(byte[] data, int start, int len, CharsetDecoder utf8, BatchResult out) {
    String s = new String(data, start, len, StandardCharsets.UTF_8);
    if (s.indexOf('\0') >= 0) {
      return null;
    }
    if (s.indexOf('\uFFFD') < 0) {
      return s;
    }
    try {
      // a replacement character: malformed input, or one the client really sent (EF BF BD)
      CharBuffer cb = utf8.decode(ByteBuffer.wrap(data, start, len));
      return cb.toString();
    } catch (CharacterCodingException e) {
      out.repaired++;
      return new String(data, start, len, StandardCharsets.ISO_8859_1);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
