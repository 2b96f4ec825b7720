package org.evident.report;

import java.util.List;
import org.evident.store.CountRow;
import org.evident.store.MonthReport;

/**
 * The sites an all-sites report shows a reader. A site's name can come from the request (nginx's
 * {@code $host}, a JSON log's {@code host}), and a scanner that tries thousands of Host headers
 * makes as many sites: the text, Markdown and HTML reports show the most attacked ones and sum
 * up the rest; JSON and CSV, read by programs, list every site.
 */
final class SiteList {
  /** Sites shown before the rest are summed up. */
  static final int SHOWN = 50;

  private SiteList() {}

  static List<CountRow> shown(MonthReport r) {
    return r.sites().size() <= SHOWN ? r.sites() : r.sites().subList(0, SHOWN);
  }

  /** The line that sums up the sites not shown, or null when every one is. */
  static String rest(MonthReport r) {
    if (r.sites().size() <= SHOWN) {
      return null;
    }
    long attacks = 0;
    long requests = 0;
    for (CountRow s : r.sites().subList(SHOWN, r.sites().size())) {
      attacks += s.attacks();
      requests += s.sources(); // for sites, 'sources' carries the requests
    }
    return "… and " + Headline.number(r.sites().size() - SHOWN) + " more sites: "
        + Headline.number(attacks) + " attacks of " + Headline.number(requests)
        + " requests (the JSON and CSV reports list every site)";
  }
}
