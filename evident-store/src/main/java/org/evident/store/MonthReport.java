package org.evident.store;

import java.util.List;
import java.util.Map;
import org.evident.evidence.SignedHead;

/**
 * The figures of one month for one site (or all sites): what every report format renders.
 *
 * @param site the site, or {@code null} for all sites together
 * @param month {@code yyyy-mm}
 * @param requests all requests in the month, benign included
 * @param attacks attack requests
 * @param sources distinct source addresses of attacks
 * @param byCountry ranked by attacks; key is the ISO code, or null for unlocated/special
 * @param byAsn ranked by attacks; key is the AS number as text
 * @param byClass ranked by attacks
 * @param byUrl targeted paths, ranked
 * @param byTool identified tools, ranked (requests without a tool are left out)
 * @param topSources source addresses, ranked; label is "country · AS organisation"
 * @param byDay every day of the month
 * @param sites per-site totals (only when {@code site} is null)
 * @param skipped lines skipped while scanning, by reason
 * @param readErrors logs that broke off while they were read
 * @param rulesets rule set versions and hashes the counted attacks were judged with
 * @param locations what located the addresses
 * @param commitments the tree heads of the segments holding the counted attack lines
 * @param byActor attacks tagged by imported threat intelligence, by actor, ranked
 */
public record MonthReport(
    String site,
    String month,
    long requests,
    long attacks,
    long sources,
    List<CountRow> byCountry,
    List<CountRow> byAsn,
    List<CountRow> byClass,
    List<CountRow> byUrl,
    List<CountRow> byTool,
    List<CountRow> topSources,
    List<DayRow> byDay,
    List<CountRow> sites,
    Map<String, Long> skipped,
    List<ReadError> readErrors,
    List<String> rulesets,
    List<String> locations,
    List<SignedHead> commitments,
    List<CountRow> byActor) {

  public MonthReport withCommitments(List<SignedHead> heads) {
    return new MonthReport(site, month, requests, attacks, sources, byCountry, byAsn, byClass,
        byUrl, byTool, topSources, byDay, sites, skipped, readErrors, rulesets, locations,
        List.copyOf(heads), byActor);
  }
}
