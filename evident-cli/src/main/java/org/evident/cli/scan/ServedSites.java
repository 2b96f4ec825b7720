package org.evident.cli.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sites a log is known to serve ({@code scan --sites}). Scanners send made-up Host headers
 * and the server's address ({@code Host: 203.0.113.5}, {@code Host: localhost}); where a log
 * writes the Host it was sent ({@code $host}, {@code %{Host}i}), each would count as a site of
 * its own. A request for a host not listed here counts for the log's own site instead: the
 * server it reached. A name {@code *.example} covers every name below {@code example}.
 *
 * @param names the host names, in lower case; empty for a log that may serve any
 */
public record ServedSites(List<String> names) {
  /** Any host the log names is a site of its own: what a scan does unless told the sites. */
  public static final ServedSites ANY = new ServedSites(List.of());

  public ServedSites {
    names = List.copyOf(names);
  }

  /**
   * The sites named in {@code list}, host names or {@code *.}-prefixed domains.
   *
   * @throws IllegalArgumentException naming the first entry that is no host name
   */
  public static ServedSites parse(List<String> list) {
    List<String> names = new ArrayList<>();
    for (String entry : list) {
      String e = entry.trim().toLowerCase(Locale.ROOT);
      String host = e.startsWith("*.") ? e.substring(2) : e;
      String site = host.isEmpty() ? null : SiteNames.fromHost(host);
      if (site == null || !site.equals(host)) {
        throw new IllegalArgumentException("'" + entry + "' is no host name (a name such as"
            + " shop.example, or *.shop.example for every name below it)");
      }
      names.add(e);
    }
    return new ServedSites(names);
  }

  /** Whether {@code site}, a name {@link SiteNames#fromHost} gave, is one of these sites. */
  public boolean serves(String site) {
    if (names.isEmpty()) {
      return true;
    }
    for (String n : names) {
      if (n.startsWith("*.") ? site.endsWith(n.substring(1)) : site.equals(n)) {
        return true;
      }
    }
    return false;
  }
}
