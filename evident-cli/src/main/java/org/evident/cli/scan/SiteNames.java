package org.evident.cli.scan;

import java.util.Locale;

/** Site names: from a log's virtual-host field, or derived from a file name. */
public final class SiteNames {
  private SiteNames() {}

  /**
   * A site name from a file name: {@code /var/log/shop.example-access.log.2.gz} gives
   * {@code shop.example}; a bare {@code access.log} gives {@code default}.
   */
  public static String fromFileName(String path) {
    if (path == null || path.equals("-")) {
      return "default";
    }
    String n = path.replace('\\', '/');
    n = n.substring(n.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    n = n.replaceAll("\\.(gz|bz2|zst|xz)$", "");
    n = n.replaceAll("([._-]\\d{1,8})+$", "");
    n = n.replaceAll("\\.(log|txt|json|jsonl)$", "");
    n = n.replaceAll("([._-]\\d{4,8})+$", "");
    n = n.replaceAll("(^|[._-])(ssl[._-])?(access|error|requests?)([._-]log)?$", "");
    n = n.replaceAll("^(access|ssl)[._-]", "");
    n = n.replaceAll("^[._-]+|[._-]+$", "");
    return n.isEmpty() ? "default" : n;
  }

  /**
   * The site of a request: its host field when it names one of {@code served}, else
   * {@code fallback}.
   */
  public static String of(String host, String fallback, ServedSites served) {
    String site = host == null ? null : fromHost(host);
    return site == null || !served.serves(site) ? fallback : site;
  }

  /**
   * A host header or vhost field as a site name: lower case, without port or trailing dot; null
   * when it is no host name or address at all. Attackers send payloads as the Host header
   * ({@code ${jndi:ldap://...}}, {@code "><script>}): such a request is counted for the log's
   * own site, not as a site named after its payload.
   */
  public static String fromHost(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      String literal = close > 0 ? h.substring(0, close + 1) : h; // without its port
      return literal.length() >= 4 && literal.length() <= 47
          && only(literal, 1, literal.length() - 1, true) ? literal : null;
    }
    int colon = h.indexOf(':');
    if (colon >= 0) {
      h = h.substring(0, colon);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return !h.isEmpty() && h.length() <= 253 && h.charAt(0) != '.' && h.charAt(0) != '-'
        && !h.contains("..") && only(h, 0, h.length(), false) ? h : null;
  }

  /**
   * Whether {@code s[from, to)} holds only what a host name has (letters, digits, hyphens,
   * underscores, dots), or with {@code address} what an IPv6 literal has. A loop, not a pattern:
   * the Host header is attacker text, and this runs for every request.
   */
  private static boolean only(String s, int from, int to, boolean address) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = address ? c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == ':' || c == '.'
          : c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
