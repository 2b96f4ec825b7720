package org.evident.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.evident.json.JsonTrees;
import org.junit.jupiter.api.Test;

class SignatureTest {

  @Test
  void keysRoundTripThroughPemAndSign() {
    SiteKey k = SiteKey.generate();
    SiteKey again = SiteKey.fromPem(k.privatePem() + k.publicPem(), k.publicPem());
    byte[] msg = "140,000 attacks".getBytes(StandardCharsets.UTF_8);
    String sig = again.sign(msg);
    assertThat(sig).isEqualTo(k.sign(msg)); // Ed25519 is deterministic
    assertThat(SiteKey.verify(k.publicKey(), msg, sig)).isTrue();
    assertThat(SiteKey.verify(k.publicKey(), "140,001 attacks".getBytes(StandardCharsets.UTF_8),
        sig)).isFalse();
    assertThat(SiteKey.verify(SiteKey.generate().publicKey(), msg, sig)).isFalse();
    assertThat(SiteKey.verify(k.publicKey(), msg, "not base64!")).isFalse();
    assertThat(k.publicPem()).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(k.keyId()).hasSize(32).isEqualTo(SiteKey.keyId(again.publicKey()));
  }

  @Test
  void badPemIsRefused() {
    assertThatThrownBy(() -> SiteKey.publicFromPem("hello"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SiteKey.publicFromPem(
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonicalJsonSortsKeysAndIgnoresLayout() throws Exception {
    ObjectNode a = (ObjectNode) JsonTrees.read(
        "{\"b\": 1, \"a\": {\"y\": [3, \"x\"], \"x\": null}}");
    ObjectNode b = (ObjectNode) JsonTrees.read(
        "{\n  \"a\" : {\"x\":null,\"y\":[3,\"x\"]},\n\"b\":1}");
    assertThat(new String(CanonicalJson.bytes(a), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":{\"x\":null,\"y\":[3,\"x\"]},\"b\":1}");
    assertThat(CanonicalJson.bytes(a)).isEqualTo(CanonicalJson.bytes(b));
    assertThatThrownBy(() -> CanonicalJson.bytes(JsonTrees.read("{\"s\":0.5}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Tree heads hash to what every earlier build gave them: a stored chain is verified by hashing
   * its heads again, so the canonical bytes may never change (the hashes were computed by the
   * build that still wrote them with an ObjectMapper).
   */
  @Test
  void headHashesAreThoseOfEarlierBuilds() {
    TreeHead h1 = new TreeHead(1, "a.log", "combined", 1, 10, "ab".repeat(32), TreeHead.GENESIS,
        "2026-11-26T00:00:00Z");
    TreeHead h2 = new TreeHead(2, "logs/\u00fcn\u00efcode \"q\"\\ \u2028.log", "combined", 11, 5,
        "cd".repeat(32), h1.hash(), "2026-11-26T00:00:01Z");
    assertThat(h1.hash())
        .isEqualTo("09979bcebba361c6aba51bb7e0b3eb550c5275447a0a7b5f7148ac900482d40c");
    assertThat(h2.hash())
        .isEqualTo("cb8b3feeb9ee533735c35aa0b3605ae4501b772fa12a08004c678e770e0238fa");
  }

  @Test
  void headsChainByHash() {
    TreeHead h1 = new TreeHead(1, "a.log", "combined", 1, 10, "ab".repeat(32), TreeHead.GENESIS,
        "2026-11-26T00:00:00Z");
    TreeHead h2 = new TreeHead(2, "a.log", "combined", 11, 5, "cd".repeat(32), h1.hash(),
        "2026-11-26T00:00:01Z");
    assertThat(TreeHead.fromJson(h2.toJson())).isEqualTo(h2);
    assertThat(h1.hash()).hasSize(64).isNotEqualTo(h2.hash());
    TreeHead changed = new TreeHead(1, "a.log", "combined", 1, 11, "ab".repeat(32),
        TreeHead.GENESIS, "2026-11-26T00:00:00Z");
    assertThat(changed.hash()).isNotEqualTo(h1.hash());
  }
}
