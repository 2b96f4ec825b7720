package org.evident.store;

import java.time.Instant;

/** Which attack events a query covers; {@code null} fields do not filter. */
public record EventFilter(Instant since, Instant until, String site, String country,
    String attackClass) {

  public static final EventFilter ALL = new EventFilter(null, null, null, null, null);
}
