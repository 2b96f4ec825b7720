package org.evident.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A parsed IPv4 or IPv6 address. Parsing never touches DNS: only literals are accepted, since log
 * fields are attacker-influenced and a lookup would leak and stall.
 *
 * @param bytes 4 or 16 bytes, network order
 */
public record IpAddress(byte[] bytes) {

  /** Parses a literal address; {@code null} when the text is not one. */
  public static IpAddress parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return null;
    }
    String s = text;
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.indexOf(':') < 0) {
      byte[] b = parseV4(s);
      return b == null ? null : new IpAddress(b);
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return null; // scope ids and anything else that could make InetAddress resolve a name
      }
    }
    try {
      byte[] b = InetAddress.getByName(s).getAddress();
      if (b.length == 16 && isV4Mapped(b)) {
        return new IpAddress(java.util.Arrays.copyOfRange(b, 12, 16));
      }
      return new IpAddress(b);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  private static byte[] parseV4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  public boolean isV4() {
    return bytes.length == 4;
  }

  /** The IPv4 address as an unsigned number (only for IPv4). */
  public long v4Value() {
    return ((bytes[0] & 0xffL) << 24) | ((bytes[1] & 0xffL) << 16) | ((bytes[2] & 0xffL) << 8)
        | (bytes[3] & 0xffL);
  }

  /** The address as an unsigned number. */
  public BigInteger value() {
    return new BigInteger(1, bytes);
  }

  /** The canonical text form (RFC 5952 style compression is InetAddress's). */
  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress other && java.util.Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }
}
