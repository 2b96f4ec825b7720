package org.evident.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MerkleTreeTest {

  /** RFC 9162 section 2.1.1, written as directly as the text reads: the reference. */
  private static byte[] mth(List<byte[]> leaves, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves.get(from);
    }
    int k = Integer.highestOneBit(n - 1);
    return Merkle.nodeHash(mth(leaves, from, from + k), mth(leaves, from + k, to));
  }

  private static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Merkle.leafHash(("line " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void hashesUseTheRfcPrefixes() {
    // SHA-256 of the single byte 0x00: the leaf hash of an empty line
    assertThat(HexFormat.of().formatHex(Merkle.leafHash(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    // SHA-256 of nothing: the root of the empty tree
    assertThat(HexFormat.of().formatHex(Merkle.emptyRoot()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    byte[] a = Merkle.leafHash(new byte[] {'a'});
    byte[] b = Merkle.leafHash(new byte[] {'b'});
    assertThat(Merkle.nodeHash(a, b)).isNotEqualTo(Merkle.nodeHash(b, a));
    // a leaf made of a node's preimage does not collide with the node
    byte[] concat = new byte[64];
    System.arraycopy(a, 0, concat, 0, 32);
    System.arraycopy(b, 0, concat, 32, 32);
    assertThat(Merkle.leafHash(concat)).isNotEqualTo(Merkle.nodeHash(a, b));
  }

  @Test
  void streamingRootMatchesTheDefinitionForEverySize() {
    for (int n = 1; n <= 600; n++) {
      List<byte[]> l = leaves(n);
      TreeBuilder b = new TreeBuilder();
      l.forEach(b::add);
      assertThat(b.root()).as("size %d", n).isEqualTo(mth(l, 0, n));
      assertThat(b.size()).isEqualTo(n);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 8, 9, 255, 256, 257, 511, 512, 513, 1000, 1024, 1300})
  void everyLeafHasAProofThatVerifies(int n) {
    List<byte[]> l = leaves(n);
    MerkleTree t = new MerkleTree(MerkleTree.inMemory(l));
    byte[] root = mth(l, 0, n);
    assertThat(t.root()).isEqualTo(root);
    for (int i = 0; i < n; i++) {
      InclusionProof p = t.proof(i);
      assertThat(p.verify(l.get(i), root)).as("leaf %d of %d", i, n).isTrue();
      assertThat(p.path().size()).isLessThanOrEqualTo(64 - Long.numberOfLeadingZeros(n));
    }
  }

  @Test
  void tamperedProofsFail() {
    List<byte[]> l = leaves(1000);
    MerkleTree t = new MerkleTree(MerkleTree.inMemory(l));
    byte[] root = t.root();
    InclusionProof p = t.proof(417);
    assertThat(p.verify(l.get(417), root)).isTrue();
    // another leaf's hash
    assertThat(p.verify(l.get(418), root)).isFalse();
    // a dropped node
    List<byte[]> dropped = new ArrayList<>(p.path());
    dropped.remove(3);
    assertThat(new InclusionProof(417, 1000, dropped).verify(l.get(417), root)).isFalse();
    // an altered node
    List<byte[]> altered = new ArrayList<>(p.path());
    byte[] x = Arrays.copyOf(altered.get(0), 32);
    x[5] ^= 1;
    altered.set(0, x);
    assertThat(new InclusionProof(417, 1000, altered).verify(l.get(417), root)).isFalse();
    // the wrong position or size
    assertThat(new InclusionProof(416, 1000, p.path()).verify(l.get(417), root)).isFalse();
    // (a size with the same path shape proves as well: the size is bound by the signed head)
    assertThat(new InclusionProof(417, 450, p.path()).verify(l.get(417), root)).isFalse();
    assertThat(new InclusionProof(417, 1000, p.path()).verify(l.get(417), Merkle.emptyRoot()))
        .isFalse();
    // an extra node
    List<byte[]> extra = new ArrayList<>(p.path());
    extra.add(root);
    assertThat(new InclusionProof(417, 1000, extra).verify(l.get(417), root)).isFalse();
  }
}
