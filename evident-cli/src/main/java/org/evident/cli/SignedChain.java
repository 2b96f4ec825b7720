package org.evident.cli;

import java.util.ArrayList;
import java.util.List;
import org.evident.evidence.SignedHead;
import org.evident.evidence.SiteKey;
import org.evident.store.EvidentStore;

/**
 * The whole chain of tree heads as a bundle carries it, every head signed by the key in hand.
 * Heads a scan made without a key are signed now; Ed25519 signatures are deterministic, so
 * signing the same head again always gives the same signature.
 */
final class SignedChain {
  private SignedChain() {}

  static List<SignedHead> of(EvidentStore db, SiteKey key) {
    List<SignedHead> out = new ArrayList<>();
    for (SignedHead h : db.heads()) {
      if (h.signed() && key.keyId().equals(h.keyId())) {
        out.add(h);
      } else {
        out.add(new SignedHead(h.head(), key.keyId(), key.sign(h.head().canonical())));
      }
    }
    return out;
  }
}
