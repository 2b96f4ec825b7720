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

  /** The site of a request: its host field when it names one, else {@code fallback}. */
  public static String of(String host, String fallback) {
    String site = host == null ? null : fromHost(host);
    return site == null ? fallback : site;
  }

  /** A host header or vhost field as a site name: lower case, without port or trailing dot. */
  public static String fromHost(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close > 0 ? h.substring(0, close + 1) : h; // an IPv6 literal, without its port
    }
    int colon = h.indexOf(':');
    if (colon >= 0) {
      h = h.substring(0, colon);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.isEmpty() ? null : h;
  }
}
