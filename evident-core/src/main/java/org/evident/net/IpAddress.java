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

  /**
   * The text a source address is counted and stored under: one address, one text. Logs write the
   * same client as {@code ::ffff:8.8.8.8} (a dual-stack listener) and {@code 8.8.8.8}, in upper
   * and lower case, bracketed or with zeros left in, and each spelling was a source of its own in
   * every count. An address is given in its canonical form (IPv4 dotted, IPv6 as
   * {@link #toString()}); text that is not an address (a host name, {@code unix:}) as it is.
   * Plain dotted IPv4, nearly every line, is returned as it is without parsing.
   */
  public static String canonical(String text) {
    if (text == null || plainV4(text)) {
      return text;
    }
    IpAddress a = parse(text);
    return a == null ? text : a.toString();
  }

  /** Four decimal numbers 0-255 without leading zeros, dot-separated: already canonical. */
  private static boolean plainV4(String s) {
    int n = s.length();
    if (n < 7 || n > 15) {
      return false;
    }
    int parts = 0;
    int i = 0;
    while (i < n) {
      int startOfPart = i;
      int value = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
      }
      int digits = i - startOfPart;
      if (digits == 0 || digits > 3 || value > 255
          || (digits > 1 && s.charAt(startOfPart) == '0')) {
        return false;
      }
      parts++;
      if (i < n) {
        if (s.charAt(i) != '.' || parts == 4) {
          return false;
        }
        i++;
        if (i == n) {
          return false;
        }
      }
    }
    return parts == 4;
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

  /**
   * The canonical text form: IPv4 dotted, IPv6 as RFC 5952 says (lower case, no leading zeros,
   * the longest run of two or more zero groups, the first of equals, as "::"). The JDK writes
   * every IPv6 group ("2001:db8:0:0:0:0:0:1"), which no one reading a report would type.
   */
  @Override
  public String toString() {
    if (isV4()) {
      return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "."
          + (bytes[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
    }
    int zerosAt = -1;
    int zeros = 1; // a single zero group is written out
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > zeros) {
        zerosAt = i;
        zeros = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder b = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == zerosAt) {
        b.append("::");
        i += zeros - 1;
        continue;
      }
      if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
        b.append(':');
      }
      b.append(Integer.toHexString(groups[i]));
    }
    return b.toString();
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
