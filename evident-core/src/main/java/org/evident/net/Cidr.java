package org.evident.net;

/** An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
public record Cidr(IpAddress network, int prefix) {

  /**
   * Parses {@code ADDRESS/PREFIX} or a lone address (a host block).
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    IpAddress ip = IpAddress.parse(slash < 0 ? s : s.substring(0, slash));
    if (ip == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
    }
    int bits = ip.bytes().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0-" + bits);
      }
    }
    return new Cidr(ip, prefix);
  }

  public boolean contains(IpAddress ip) {
    byte[] a = network.bytes();
    byte[] b = ip.bytes();
    if (a.length != b.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (b[full] & mask);
  }

  @Override
  public String toString() {
    return network + "/" + prefix;
  }
}
