package org.evident.evidence;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.evident.detect.Detector;
import org.evident.detect.RuleSet;
import org.evident.detect.Verdict;
import org.evident.json.JsonTrees;
import org.evident.log.BadLineException;
import org.evident.log.LineParser;
import org.evident.log.LogFormats;
import org.evident.log.Request;

/**
 * Checks an evidence bundle without trusting whoever made it: the signature over its claims,
 * every tree head's signature and chain link, every disclosed line's leaf hash and inclusion
 * proof, the counts the claims state, and the verdict of every disclosed line, judged again here.
 * Each failure is reported as one precise sentence; disclosed lines are streamed, so memory does
 * not grow with their number.
 */
public final class BundleVerifier {
  /** What a check found. {@code ok()} when nothing failed; warnings do not fail. */
  public record Outcome(String kind, String keyId, long heads, long lines, long rejudged,
      List<String> failures, List<String> warnings) {
    public boolean ok() {
      return failures.isEmpty();
    }
  }

  private static final int MAX_FAILURES_LISTED = 50;

  private final PublicKey trusted;
  private final RuleSet rules;

  /**
   * @param trusted the signer's public key as the verifier knows it, or null to fall back on
   *     the key inside the bundle (with a warning)
   * @param rules the rules to judge disclosed lines with (at the bundle's paranoia level and
   *     threshold); their hash must match the bundle's
   */
  public BundleVerifier(PublicKey trusted, RuleSet rules) {
    this.trusted = trusted;
    this.rules = rules;
  }

  /**
   * @throws BundleException when the input is not a readable bundle at all (not JSON, truncated,
   *     over the size cap, missing parts)
   */
  public Outcome verify(InputStream raw, long maxBytes) throws IOException {
    State st = new State();
    try (JsonParser p = JsonTrees.factory()
        .createParser(new Capped(raw, maxBytes))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BundleException("not an evidence bundle: it does not start with a JSON object");
      }
      List<JsonNode> early = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "format" -> st.format = p.getValueAsString();
          case "signed" -> st.signed = JsonTrees.read(p);
          case "signature" -> st.signature = p.getValueAsString();
          case "public_key" -> st.carriedKey = p.getValueAsString();
          case "heads" -> st.headsJson = JsonTrees.read(p);
          case "rules" -> p.skipChildren();
          case "disclosed" -> {
            if (p.currentToken() != JsonToken.START_ARRAY) {
              throw new BundleException("\"disclosed\" is not a list");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
              JsonNode d = JsonTrees.read(p);
              if (st.ready()) {
                st.disclosed(d);
              } else {
                early.add(d); // lines before their claims: keep until the claims are read
              }
            }
          }
          default -> p.skipChildren();
        }
        if (!early.isEmpty() && st.ready()) {
          early.forEach(st::disclosed);
          early.clear();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new BundleException("the bundle is truncated: it ends in the middle of its JSON");
      }
      if (!st.ready()) {
        throw new BundleException("not an evidence bundle: " + st.missing());
      }
      early.forEach(st::disclosed);
    } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
      throw new BundleException("the bundle is truncated: it ends in the middle of its JSON");
    } catch (JsonParseException e) {
      // Jackson reports some ends of input (between an object's entries) as plain parse errors
      if (String.valueOf(e.getOriginalMessage()).startsWith("Unexpected end-of-input")) {
        throw new BundleException("the bundle is truncated: it ends in the middle of its JSON");
      }
      throw new BundleException("not an evidence bundle: not valid JSON ("
          + JsonTrees.problem(e) + ")");
    }
    return st.finish();
  }

  /** Everything learnt while reading, and the checks that need it. */
  private final class State {
    String format;
    JsonNode signed;
    String signature;
    String carriedKey;
    JsonNode headsJson;

    private boolean prepared;
    private PublicKey key;
    private final Map<Long, TreeHead> heads = new HashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int failuresDropped;
    private long disclosedCount;
    private long rejudged;
    private boolean rulesMatch;
    private final EvidenceBundle.LinesDigest digest = new EvidenceBundle.LinesDigest();
    private final Map<String, Long> byCountry = new TreeMap<>();
    private final Map<String, Long> byClass = new TreeMap<>();
    private Detector detector;
    private final Map<String, LineParser> parsers = new HashMap<>();

    boolean ready() {
      if (signed == null || signature == null || headsJson == null || format == null) {
        return false;
      }
      if (!prepared) {
        prepare();
      }
      return true;
    }

    String missing() {
      List<String> m = new ArrayList<>();
      if (format == null) {
        m.add("\"format\"");
      }
      if (signed == null) {
        m.add("\"signed\"");
      }
      if (signature == null) {
        m.add("\"signature\"");
      }
      if (headsJson == null) {
        m.add("\"heads\"");
      }
      return "it has no " + String.join(", ", m);
    }

    void fail(String s) {
      if (failures.size() < MAX_FAILURES_LISTED) {
        failures.add(s);
      } else {
        failuresDropped++;
      }
    }

    /** The checks that need only the signed part and the heads. */
    private void prepare() {
      prepared = true;
      if (!EvidenceBundle.FORMAT.equals(format)) {
        throw new BundleException("not an evidence bundle: format is '" + format + "', not '"
            + EvidenceBundle.FORMAT + "'");
      }
      key = trusted;
      if (key == null) {
        if (carriedKey == null) {
          throw new BundleException("no public key to check with: give one with --pubkey");
        }
        try {
          key = SiteKey.publicFromPem(carriedKey);
        } catch (IllegalArgumentException e) {
          throw new BundleException("the bundle's own public key is unreadable; give the"
              + " signer's key with --pubkey");
        }
        warnings.add("WARNING: checked with the public key carried inside the bundle. This"
            + " proves only that the bundle is consistent, NOT who made it: anyone can sign"
            + " with a key of their own. Get the site's published key and use --pubkey.");
      }
      String keyId = SiteKey.keyId(key);
      String claimed = signed.path("key_id").asText("");
      if (!claimed.equals(keyId)) {
        fail("the bundle says it was signed by key " + claimed + ", but the key checked with is "
            + keyId + " (wrong key)");
      }
      if (!SiteKey.verify(key, CanonicalJson.bytes(signed), signature)) {
        fail("the signature over the bundle's claims does not verify with key " + keyId
            + ": the signed part (counts, heads, line list) was altered or signed by another key");
      }
      checkChain(keyId);
      checkClaims();
      String rsSha = signed.path("ruleset").path("sha256").asText("");
      rulesMatch = rules != null && rules.sha256().equals(rsSha);
      if (rulesMatch) {
        // judged as the scan judged them: its paranoia level and threshold (bundles made
        // before the threshold could be set carry none: the default then)
        int paranoia = signed.path("ruleset").path("paranoia").asInt(Detector.DEFAULT_PARANOIA);
        int threshold =
            signed.path("ruleset").path("threshold").asInt(Detector.DEFAULT_THRESHOLD);
        detector = new Detector(rules, Math.max(1, threshold),
            Math.max(1, Math.min(4, paranoia)));
      } else if (rules != null && isDisclosure()) {
        fail("the bundle names rule set " + signed.path("ruleset").path("version").asText("?")
            + " (sha256 " + rsSha + "), but the rules here are " + rules.version()
            + " (sha256 " + rules.sha256() + "): the lines cannot be judged again"
            + " with the same rules (give the same rules with --rules)");
      }
    }

    private void checkChain(String keyId) {
      if (!headsJson.isArray()) {
        fail("\"heads\" is not a list");
        return;
      }
      String prev = TreeHead.GENESIS;
      long expect = 1;
      for (JsonNode hj : headsJson) {
        SignedHead sh = SignedHead.fromJson(hj);
        TreeHead h = sh.head();
        if (h.seq() != expect || !h.prev().equals(prev)) {
          fail("the segment chain is broken at position " + expect + ": found head "
              + h.seq() + " whose previous-head hash "
              + (h.prev().equals(prev) ? "matches" : "does not match")
              + " the head before it (a segment was removed, inserted or re-ordered)");
        }
        if (!sh.signed()) {
          fail("tree head " + h.seq() + " is not signed");
        } else if (!SiteKey.verify(key, h.canonical(), sh.signature())) {
          fail("the signature of tree head " + h.seq() + " does not verify with key " + keyId
              + " (the head was altered or signed by another key)");
        }
        heads.put(h.seq(), h);
        prev = h.hash();
        expect++;
      }
      JsonNode chain = signed.path("chain");
      if (chain.path("length").asLong(-1) != headsJson.size()) {
        fail("the claims rest on a chain of " + chain.path("length").asLong(-1)
            + " heads, but the bundle holds " + headsJson.size());
      }
      if (!chain.path("last_hash").asText("").equals(prev)) {
        fail("the last tree head in the bundle is not the one the claims were signed over");
      }
      for (JsonNode s : signed.path("rests_on")) {
        if (!heads.containsKey(s.asLong())) {
          fail("the claims rest on segment " + s.asLong() + ", whose head is not in the bundle");
        }
      }
    }

    private void checkClaims() {
      JsonNode c = signed.path("claims");
      if (isDisclosure()) {
        if (c.path("selected").asLong(0) < c.path("disclosed").asLong(0)) {
          fail("the claims say " + c.path("selected").asLong(0) + " attack lines matched, fewer"
              + " than the " + c.path("disclosed").asLong(0) + " disclosed");
        }
      } else {
        long attacks = c.path("attacks").asLong(-1);
        sum("country", c.path("by_country"), attacks);
        sum("class", c.path("by_class"), attacks);
      }
    }

    private boolean isDisclosure() {
      return signed.has("lines_sha256");
    }

    private void compare(String what, JsonNode claimed, Map<String, Long> counted) {
      Map<String, Long> said = new TreeMap<>();
      for (JsonNode r : claimed) {
        said.put(r.path(what).asText("-"), r.path("attacks").asLong());
      }
      if (!said.equals(counted)) {
        fail("the claimed counts by " + what + " " + said + " do not match the disclosed lines "
            + counted);
      }
    }

    private void sum(String what, JsonNode rows, long attacks) {
      long s = 0;
      for (JsonNode r : rows) {
        s += r.path("attacks").asLong();
      }
      if (rows.size() > 0 && s != attacks) {
        fail("the counts by " + what + " add up to " + s + ", not to the " + attacks
            + " attacks claimed");
      }
    }

    void disclosed(JsonNode d) {
      long i = disclosedCount++;
      long seg = d.path("segment").asLong(-1);
      long leafIndex = d.path("leaf_index").asLong(-1);
      String at = "disclosed line " + (i + 1) + " (segment " + seg + ", leaf " + leafIndex + ")";
      ObjectNode claim = ((ObjectNode) d).deepCopy();
      claim.remove(EvidenceBundle.PROOF_FIELDS);
      digest.add(claim);
      byCountry.merge(d.path("country").asText("-"), 1L, Long::sum);
      byClass.merge(d.path("class").asText("-"), 1L, Long::sum);
      byte[] bytes = lineBytes(d);
      if (bytes == null) {
        fail(at + " has no readable line text");
        return;
      }
      byte[] leaf = Merkle.leafHash(bytes);
      if (!HexFormat.of().formatHex(leaf).equals(d.path("leaf").asText())) {
        fail(at + ": its text does not hash to the committed leaf (the line was altered)");
        return;
      }
      TreeHead h = heads.get(seg);
      if (h == null) {
        fail(at + ": segment " + seg + " has no tree head in the bundle");
        return;
      }
      List<byte[]> path = new ArrayList<>();
      try {
        for (JsonNode n : d.path("proof")) {
          path.add(HexFormat.of().parseHex(n.asText()));
        }
      } catch (IllegalArgumentException e) {
        fail(at + ": its inclusion proof holds a node that is not a hex hash");
        return;
      }
      byte[] root;
      try {
        root = HexFormat.of().parseHex(h.root());
      } catch (IllegalArgumentException e) {
        fail("tree head " + seg + " has a malformed root");
        return;
      }
      if (!new InclusionProof(leafIndex, h.size(), path).verify(leaf, root)) {
        fail(at + ": its inclusion proof does not lead to the root of segment " + seg
            + " (a proof node is missing, added or altered)");
        return;
      }
      if (rulesMatch) {
        rejudge(at, h.format(), bytes, d);
      }
    }

    private void rejudge(String at, String format, byte[] bytes, JsonNode claim) {
      Set<String> said = new TreeSet<>();
      claim.path("rules").forEach(r -> said.add(r.asText()));
      Set<String> now = new TreeSet<>();
      String why = null;
      try {
        LineParser parser = parsers.computeIfAbsent(format,
            f -> LogFormats.byName(f).newParser());
        Request r = parser.parse(decode(bytes));
        if (r == null) {
          why = "it is not a request";
        } else {
          Verdict v = detector.judge(r, claim.path("site").asText(null));
          if (!v.attack()) {
            why = "it is not an attack by these rules";
          }
          now.addAll(v.ruleIds());
        }
      } catch (BadLineException e) {
        why = "it no longer parses as " + format + " (" + e.reason() + ")";
      } catch (IllegalArgumentException e) {
        why = "its log format '" + format + "' is unknown here";
      }
      rejudged++;
      if (why != null || !now.equals(said)) {
        fail(at + ": judged again, the verdict differs: the bundle says rules " + said
            + (why != null ? ", but here " + why + " (rules " + now + ")" : ", here rules " + now));
      }
    }

    Outcome finish() {
      if (isDisclosure()) {
        JsonNode c = signed.path("claims");
        if (c.path("disclosed").asLong(-1) != disclosedCount) {
          fail("the claims say " + c.path("disclosed").asLong(-1) + " lines are disclosed,"
              + " but the bundle holds " + disclosedCount + " (lines were dropped or added)");
        }
        if (!digest.hex().equals(signed.path("lines_sha256").asText())) {
          fail("the disclosed lines are not the ones signed: their digest differs (lines were"
              + " dropped, added, re-ordered, or their claimed time, source or verdict changed)");
        }
        compare("country", c.path("disclosed_by_country"), byCountry);
        compare("class", c.path("disclosed_by_class"), byClass);
      }
      if (failuresDropped > 0) {
        failures.add("... and " + failuresDropped + " more failures");
      }
      return new Outcome(signed.path("kind").asText("?"), SiteKey.keyId(key), heads.size(),
          disclosedCount, rejudged, failures, warnings);
    }
  }

  private static byte[] lineBytes(JsonNode d) {
    if (d.hasNonNull("line")) {
      return d.get("line").asText().getBytes(StandardCharsets.UTF_8);
    }
    if (d.hasNonNull("line_base64")) {
      try {
        return Base64.getDecoder().decode(d.get("line_base64").asText());
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  /** As the scanner reads a line: UTF-8 when valid, else byte for byte. */
  /** A disclosed line's text, as the scan read it (past a byte order mark; see LogFormats). */
  private static String decode(byte[] b) {
    int start = LogFormats.textStart(b, 0, b.length);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, start, b.length - start)).toString();
    } catch (CharacterCodingException e) {
      return new String(b, start, b.length - start, StandardCharsets.ISO_8859_1);
    }
  }

  /** Stops reading past the size cap, so a huge bundle cannot exhaust memory. */
  private static final class Capped extends FilterInputStream {
    private final long max;
    private long read;

    Capped(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      count(c < 0 ? 0 : 1);
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count(Math.max(0, n));
      return n;
    }

    private void count(long n) {
      read += n;
      if (read > max) {
        throw new BundleException("the bundle is larger than the limit of " + max
            + " bytes (raise it with --max-bytes)");
      }
    }
  }
}
