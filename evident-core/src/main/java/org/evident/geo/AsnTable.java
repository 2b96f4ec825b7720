package org.evident.geo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Autonomous system lookups over sorted address ranges, read from ip-location-db's numeric CSV
 * ({@code start,end,asn,organisation}). IPv4 ranges are kept as primitive arrays and found by
 * binary search; IPv6 ranges by their upper 64 bits, which is the granularity routing uses.
 */
public final class AsnTable {
  private final long[] starts;
  private final long[] ends;
  private final long[] asns;
  private final int[] orgIds;
  private final String[] orgs;
  private final int size;

  private AsnTable(long[] starts, long[] ends, long[] asns, int[] orgIds, String[] orgs,
      int size) {
    this.starts = starts;
    this.ends = ends;
    this.asns = asns;
    this.orgIds = orgIds;
    this.orgs = orgs;
    this.size = size;
  }

  /** Reads a numeric CSV; {@code ipv6} says whether its numbers are 128-bit. */
  public static AsnTable read(Reader csv, boolean ipv6) throws IOException {
    BufferedReader in = new BufferedReader(csv, 1 << 16);
    long[] s = new long[1 << 16];
    long[] e = new long[1 << 16];
    long[] a = new long[1 << 16];
    int[] o = new int[1 << 16];
    Map<String, Integer> orgIndex = new HashMap<>();
    List<String> orgList = new ArrayList<>();
    int n = 0;
    String line;
    while ((line = in.readLine()) != null) {
      int c1 = line.indexOf(',');
      int c2 = line.indexOf(',', c1 + 1);
      int c3 = line.indexOf(',', c2 + 1);
      if (c1 < 0 || c2 < 0 || c3 < 0) {
        continue;
      }
      try {
        long start = ipv6 ? high64(line.substring(0, c1)) : Long.parseLong(line, 0, c1, 10);
        long end = ipv6 ? high64(line.substring(c1 + 1, c2))
            : Long.parseLong(line, c1 + 1, c2, 10);
        long asn = Long.parseLong(line, c2 + 1, c3, 10);
        String org = line.substring(c3 + 1);
        if (org.length() > 1 && org.startsWith("\"") && org.endsWith("\"")) {
          org = org.substring(1, org.length() - 1).replace("\"\"", "\"");
        }
        if (n == s.length) {
          s = Arrays.copyOf(s, n * 2);
          e = Arrays.copyOf(e, n * 2);
          a = Arrays.copyOf(a, n * 2);
          o = Arrays.copyOf(o, n * 2);
        }
        Integer id = orgIndex.get(org);
        if (id == null) {
          id = orgList.size();
          orgList.add(org);
          orgIndex.put(org, id);
        }
        s[n] = start;
        e[n] = end;
        a[n] = asn;
        o[n] = id;
        n++;
      } catch (NumberFormatException ex) {
        // header or malformed row: not a range
      }
    }
    return new AsnTable(s, e, a, o, orgList.toArray(new String[0]), n);
  }

  private static final int MAGIC = 0x45564153; // "EVAS"
  private static final int FORMAT = 1;

  /**
   * Writes the table in a compact binary form that {@link #readBinary} loads far faster than the
   * CSV parses; callers keep it beside the CSV as a cache.
   */
  public void writeBinary(java.io.OutputStream out) throws IOException {
    java.io.DataOutputStream d = new java.io.DataOutputStream(
        new java.io.BufferedOutputStream(out, 1 << 16));
    d.writeInt(MAGIC);
    d.writeInt(FORMAT);
    d.writeInt(size);
    d.writeInt(orgs.length);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size * 28);
    b.asLongBuffer().put(starts, 0, size);
    b.position(size * 8);
    b.asLongBuffer().put(ends, 0, size);
    b.position(size * 16);
    b.asLongBuffer().put(asns, 0, size);
    b.position(size * 24);
    b.asIntBuffer().put(orgIds, 0, size);
    d.write(b.array());
    for (String o : orgs) {
      byte[] u = o.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      d.writeInt(u.length);
      d.write(u);
    }
    d.flush();
  }

  /**
   * Reads a table written by {@link #writeBinary}.
   *
   * @throws IOException when the data is not such a table (the caller then re-reads the CSV)
   */
  public static AsnTable readBinary(java.io.InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all);
    if (all.length < 16 || b.getInt() != MAGIC || b.getInt() != FORMAT) {
      throw new IOException("not an ASN table cache");
    }
    int n = b.getInt();
    int orgCount = b.getInt();
    if (n < 0 || orgCount < 0 || 16L + 28L * n > all.length) {
      throw new IOException("truncated ASN table cache");
    }
    long[] s = new long[n];
    long[] e = new long[n];
    long[] a = new long[n];
    int[] o = new int[n];
    b.asLongBuffer().get(s);
    b.position(16 + n * 8);
    b.asLongBuffer().get(e);
    b.position(16 + n * 16);
    b.asLongBuffer().get(a);
    b.position(16 + n * 24);
    b.asIntBuffer().get(o);
    b.position(16 + n * 28);
    String[] orgs = new String[orgCount];
    try {
      for (int i = 0; i < orgCount; i++) {
        int len = b.getInt();
        orgs[i] = new String(all, b.position(), len, java.nio.charset.StandardCharsets.UTF_8);
        b.position(b.position() + len);
      }
    } catch (RuntimeException ex) {
      throw new IOException("truncated ASN table cache");
    }
    for (int id : o) {
      if (id < 0 || id >= orgCount) {
        throw new IOException("corrupt ASN table cache");
      }
    }
    return new AsnTable(s, e, a, o, orgs, n);
  }

  private static long high64(String decimal) {
    return new BigInteger(decimal).shiftRight(64).longValue();
  }

  /** Number of ranges loaded. */
  public int size() {
    return size;
  }

  /** The range holding the key (an IPv4 value, or the upper 64 bits of an IPv6 address). */
  int find(long key) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(starts[mid], key) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (hi >= 0 && Long.compareUnsigned(key, ends[hi]) <= 0) {
      return hi;
    }
    return -1;
  }

  long asn(int index) {
    return asns[index];
  }

  String organisation(int index) {
    return orgs[orgIds[index]];
  }
}
