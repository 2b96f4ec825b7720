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
          .append(c.key() == null ? c.label().toLowerCase(Locale.ROOT) : c.label());
      shown++;
    }
    return b.append('.').toString();
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
