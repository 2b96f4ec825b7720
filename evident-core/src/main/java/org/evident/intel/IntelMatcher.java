package org.evident.intel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.evident.net.Cidr;
import org.evident.net.IpAddress;

/** Which imported intelligence an attack matches: by source address, or by its referer. */
public final class IntelMatcher {
  private record Net(Cidr cidr, String actor) {}

  private final List<Net> networks = new ArrayList<>();
  private final List<IntelEntry> others = new ArrayList<>();

  public IntelMatcher(List<IntelEntry> entries) {
    for (IntelEntry e : entries) {
      if (e.kind().equals("network")) {
        networks.add(new Net(Cidr.parse(e.value()), e.actor()));
      } else {
        others.add(e);
      }
    }
  }

  public boolean isEmpty() {
    return networks.isEmpty() && others.isEmpty();
  }

  /** The actors an attack points to, sorted and joined, or null for none. */
  public String actors(String sourceIp, String referer) {
    TreeSet<String> out = new TreeSet<>();
    IpAddress ip = IpAddress.parse(sourceIp);
    if (ip != null) {
      for (Net n : networks) {
        if (n.cidr().contains(ip)) {
          out.add(n.actor());
        }
      }
    }
    if (referer != null && !others.isEmpty()) {
      String host = host(referer);
      for (IntelEntry e : others) {
        if (e.kind().equals("domain") ? host != null && (host.equals(e.value())
            || host.endsWith("." + e.value())) : referer.equals(e.value())) {
          out.add(e.actor());
        }
      }
    }
    return out.isEmpty() ? null : String.join(", ", out);
  }

  private static String host(String url) {
    int s = url.indexOf("://");
    if (s < 0) {
      return null;
    }
    int e = s + 3;
    while (e < url.length() && "/:?#".indexOf(url.charAt(e)) < 0) {
      e++;
    }
    return url.substring(s + 3, e).toLowerCase(Locale.ROOT);
  }
}
