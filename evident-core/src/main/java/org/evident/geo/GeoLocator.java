package org.evident.geo;

import java.util.LinkedHashMap;
import java.util.Map;
import org.evident.net.IpAddress;
import org.evident.net.IpScope;

/**
 * Locates addresses with a country database and optional ASN tables, remembering recent answers:
 * attack sources repeat, and a bounded cache keeps memory flat however long the log.
 */
public final class GeoLocator implements Locator {
  private static final int CACHE_ENTRIES = 65_536;

  private final CountryDatabase countries;
  private final AsnTable asnV4;
  private final AsnTable asnV6;
  private final String provenance;
  private final Map<String, Location> cache =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Location> e) {
          return size() > CACHE_ENTRIES;
        }
      };

  /**
   * @param countries country database (may be null)
   * @param asnV4 IPv4 ASN ranges (may be null)
   * @param asnV6 IPv6 ASN ranges (may be null)
   * @param provenance what the report says located the addresses
   */
  public GeoLocator(CountryDatabase countries, AsnTable asnV4, AsnTable asnV6,
      String provenance) {
    this.countries = countries;
    this.asnV4 = asnV4;
    this.asnV6 = asnV6;
    this.provenance = provenance;
  }

  @Override
  public String provenance() {
    return provenance;
  }

  @Override
  public Location locate(String ip) {
    synchronized (cache) {
      Location hit = cache.get(ip);
      if (hit != null) {
        return hit;
      }
    }
    Location loc = lookup(ip);
    synchronized (cache) {
      cache.put(ip, loc);
    }
    return loc;
  }

  private Location lookup(String ip) {
    IpAddress a = IpAddress.parse(ip);
    if (a == null) {
      return Location.NOT_AN_ADDRESS;
    }
    IpScope scope = IpScope.of(a);
    if (scope != IpScope.PUBLIC) {
      return Location.special(scope);
    }
    String cc = countries == null ? null : countries.country(a.bytes());
    long asn = 0;
    String org = null;
    AsnTable table = a.isV4() ? asnV4 : asnV6;
    if (table != null) {
      long key = a.isV4() ? a.v4Value() : java.nio.ByteBuffer.wrap(a.bytes()).getLong();
      int i = table.find(key);
      if (i >= 0) {
        asn = table.asn(i);
        org = table.organisation(i);
      }
    }
    return new Location(IpScope.PUBLIC, cc, asn, org);
  }
}
