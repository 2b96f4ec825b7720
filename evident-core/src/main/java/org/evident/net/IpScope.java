package org.evident.net;

import java.util.List;

/**
 * Where an address sits in the special-purpose registries (RFC 6890 and successors). Only
 * {@link #PUBLIC} addresses are ever given a country: a private or documentation address in a log
 * means a proxy, a test or a forgery, never a place.
 */
public enum IpScope {
  PUBLIC("public"),
  PRIVATE("private"),
  LOOPBACK("loopback"),
  LINK_LOCAL("link-local"),
  SHARED("shared (CGNAT)"),
  DOCUMENTATION("documentation"),
  MULTICAST("multicast"),
  RESERVED("reserved"),
  /**
   * Not an address at all: a host name (Apache's {@code HostnameLookups On}), nginx's
   * {@code unix:} for a socket client, a dash. Never given a country, and never counted as a
   * public address whose place is unknown.
   */
  NOT_AN_ADDRESS("non-IP");

  private final String label;

  IpScope(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  private record Block(Cidr cidr, IpScope scope) {}

  private static final List<Block> BLOCKS = List.of(
      b("0.0.0.0/8", RESERVED), b("10.0.0.0/8", PRIVATE), b("100.64.0.0/10", SHARED),
      b("127.0.0.0/8", LOOPBACK), b("169.254.0.0/16", LINK_LOCAL), b("172.16.0.0/12", PRIVATE),
      b("192.0.0.0/24", RESERVED), b("192.0.2.0/24", DOCUMENTATION), b("192.88.99.0/24", RESERVED),
      b("192.168.0.0/16", PRIVATE), b("198.18.0.0/15", RESERVED),
      b("198.51.100.0/24", DOCUMENTATION), b("203.0.113.0/24", DOCUMENTATION),
      b("224.0.0.0/4", MULTICAST), b("240.0.0.0/4", RESERVED),
      b("::/128", RESERVED), b("::1/128", LOOPBACK), b("64:ff9b:1::/48", RESERVED),
      b("100::/64", RESERVED), b("2001::/23", RESERVED), b("2001:db8::/32", DOCUMENTATION),
      b("3fff::/20", DOCUMENTATION), b("fc00::/7", PRIVATE), b("fe80::/10", LINK_LOCAL),
      b("ff00::/8", MULTICAST));

  private static Block b(String cidr, IpScope scope) {
    return new Block(Cidr.parse(cidr), scope);
  }

  /** The scope of an address. */
  public static IpScope of(IpAddress ip) {
    for (Block block : BLOCKS) {
      if (block.cidr().contains(ip)) {
        return block.scope();
      }
    }
    return PUBLIC;
  }
}
