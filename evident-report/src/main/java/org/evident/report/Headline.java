package org.evident.report;

import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.Locale;
import org.evident.store.CountRow;
import org.evident.store.MonthReport;

/** The one-sentence answer every report starts with. */
public final class Headline {
  private Headline() {}

  public static String of(MonthReport r) {
    StringBuilder b = new StringBuilder();
    b.append(r.site() == null ? "All sites" : r.site()).append(": ")
        .append(number(r.attacks())).append(r.attacks() == 1 ? " attack request" : " attack requests")
        .append(" in ").append(monthName(r.month()))
        .append(" from ").append(number(r.sources()))
        .append(r.sources() == 1 ? " source IP" : " source IPs");
    if (r.requests() > 0) {
      b.append(" (").append(percent((double) r.attacks() / r.requests())).append(" of ")
          .append(number(r.requests())).append(" requests)");
    }
    int shown = 0;
    for (CountRow c : r.byCountry()) {
      if (shown == 3) {
        return b.append(", …").toString(); // the ellipsis ends the sentence
      }
      b.append(shown == 0 ? "; " : ", ").append(percent(c.share())).append(" from ")
          .append(c.key() == null ? unplaced(c.label()) : c.label());
      shown++;
    }
    return b.append('.').toString();
  }

  /**
   * A row of sources with no country, as the sentence says it: "private addresses" for the
   * table's "Not located: private address", else the label with its first letter in lower case
   * ("unknown location"; "non-IP" keeps its capitals).
   */
  private static String unplaced(String label) {
    String prefix = "Not located: ";
    String suffix = " address";
    if (label.startsWith(prefix) && label.endsWith(suffix)) {
      return label.substring(prefix.length(), label.length() - suffix.length()) + " addresses";
    }
    return label.isEmpty() ? label
        : Character.toLowerCase(label.charAt(0)) + label.substring(1);
  }

  /** {@code February 2013}. */
  public static String monthName(String month) {
    YearMonth ym = YearMonth.parse(month);
    return ym.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + ym.getYear();
  }

  /** {@code 141,532}. */
  public static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code 64.8%}. */
  public static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }
}
