package org.evident.geo;

import com.maxmind.db.Reader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Map;

/**
 * Country lookups in any MaxMind DB file: DB-IP Lite and ip-location-db's {@code country_code}
 * layout, and the GeoLite2/GeoIP2 {@code country.iso_code} layout. Reads the whole file into
 * memory from a stream the caller opens.
 */
public final class CountryDatabase implements AutoCloseable {
  private final Reader reader;
  private final String description;

  public CountryDatabase(InputStream mmdb) throws IOException {
    this.reader = new Reader(mmdb);
    var md = reader.getMetadata();
    this.description = md.getDatabaseType() + " built " + md.getBuildDate().toInstant()
        .toString().substring(0, 10);
  }

  /** The database type and build date from its metadata. */
  public String description() {
    return description;
  }

  /** The ISO country code for an address, or {@code null}. */
  @SuppressWarnings("unchecked")
  public String country(byte[] address) {
    try {
      Map<String, Object> rec = reader.get(InetAddress.getByAddress(address), Map.class);
      if (rec == null) {
        return null;
      }
      Object cc = rec.get("country_code");
      if (cc instanceof String s) {
        return s;
      }
      Object country = rec.get("country");
      if (country instanceof Map<?, ?> m && m.get("iso_code") instanceof String s) {
        return s;
      }
      Object registered = rec.get("registered_country");
      if (registered instanceof Map<?, ?> m && m.get("iso_code") instanceof String s) {
        return s;
      }
      return null;
    } catch (IOException e) {
      return null; // a corrupt record: unknown, like an address the database lacks
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
