package org.evident.geo;

import org.evident.net.IpScope;

/**
 * Where a source address is, as far as the databases say.
 *
 * @param scope the address's registry scope; only public addresses get a country
 * @param country ISO 3166-1 alpha-2 code, or {@code null} when unknown or not public
 * @param asn autonomous system number, or 0 when unknown
 * @param organisation the AS's organisation name, or {@code null}
 */
public record Location(IpScope scope, String country, long asn, String organisation) {

  /** A public address the databases do not place. */
  public static final Location UNKNOWN = new Location(IpScope.PUBLIC, null, 0, null);
  /** Text that is not an address (see {@link IpScope#NOT_AN_ADDRESS}). */
  public static final Location NOT_AN_ADDRESS =
      new Location(IpScope.NOT_AN_ADDRESS, null, 0, null);

  /** An address that is not public and so has no place. */
  public static Location special(IpScope scope) {
    return new Location(scope, null, 0, null);
  }
}
