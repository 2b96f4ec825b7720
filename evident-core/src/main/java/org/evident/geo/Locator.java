package org.evident.geo;

/** Locates source addresses. Implementations are thread-safe. */
public interface Locator {

  /**
   * Locates a literal address; text that is not an address gets
   * {@link Location#NOT_AN_ADDRESS}.
   */
  Location locate(String ip);

  /** Where the data comes from, for the report: database names, dates and attribution. */
  String provenance();

  /** A locator that knows only address scopes, for when no database is at hand. */
  Locator SCOPES_ONLY = new Locator() {
    @Override
    public Location locate(String ip) {
      var a = org.evident.net.IpAddress.parse(ip);
      if (a == null) {
        return Location.NOT_AN_ADDRESS;
      }
      var scope = org.evident.net.IpScope.of(a);
      return scope == org.evident.net.IpScope.PUBLIC ? Location.UNKNOWN : Location.special(scope);
    }

    @Override
    public String provenance() {
      return "no location database: countries and ASNs unknown";
    }
  };
}
