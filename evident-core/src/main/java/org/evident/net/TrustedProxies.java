package org.evident.net;

import java.util.List;

/**
 * Which peers may speak for the client through X-Forwarded-For. With none named (the default),
 * the header is ignored: anyone can write it, so believing it would let attackers pick the
 * country they are counted under.
 */
public record TrustedProxies(List<Cidr> blocks) {

  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  public TrustedProxies {
    blocks = List.copyOf(blocks);
  }

  public boolean trusts(IpAddress ip) {
    for (Cidr c : blocks) {
      if (c.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client address, in its canonical text ({@link IpAddress#canonical}): the logged peer
   * unless it is a trusted proxy, in which case the right-most address in X-Forwarded-For that
   * is not itself a trusted proxy.
   */
  public String clientOf(String peer, String forwardedFor) {
    if (blocks.isEmpty() || forwardedFor == null) {
      return IpAddress.canonical(peer);
    }
    IpAddress p = IpAddress.parse(peer);
    if (p == null) {
      return peer;
    }
    if (!trusts(p)) {
      return p.toString();
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      IpAddress h = IpAddress.parse(hop);
      if (h == null) {
        return p.toString(); // a garbled chain: fall back to what we saw ourselves
      }
      if (!trusts(h)) {
        return h.toString();
      }
    }
    return p.toString();
  }
}
