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
   * One hop of X-Forwarded-For, or null. Some proxies write the port too (Azure's Application
   * Gateway: {@code 8.8.8.8:51234}, {@code [2001:db8::1]:443}); it is no part of the address.
   */
  private static IpAddress hop(String text) {
    IpAddress a = IpAddress.parse(text);
    if (a != null) {
      return a;
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0 || !text.substring(colon + 1).matches("\\d{1,5}")) {
      return null;
    }
    if (text.startsWith("[") && text.charAt(colon - 1) == ']') {
      return IpAddress.parse(text.substring(1, colon - 1));
    }
    // IPv4 and a port: one colon only (an IPv6 address without brackets has several)
    return text.indexOf(':') == colon ? IpAddress.parse(text.substring(0, colon)) : null;
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
      IpAddress h = hop(hops[i].trim());
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
