package org.evident.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The read queries behind reports, {@code top}, {@code events} and {@code sql}. */
final class Queries {
  /**
   * A scan's paranoia level and threshold. Scans made before they were recorded (schemas 1 and
   * 2) ran at the defaults, 1 and 5.
   */
  private static final String PARANOIA = "coalesce(s.paranoia, 1)";
  private static final String THRESHOLD = "coalesce(s.threshold, 5)";

  private final Connection conn;

  Queries(Connection conn) {
    this.conn = conn;
  }

  /** A WHERE clause with its bound values, built only from fixed SQL fragments. */
  private static final class Where {
    final StringBuilder sql = new StringBuilder(" WHERE TRUE");
    final List<Object> args = new ArrayList<>();

    Where add(String fragment, Object value) {
      if (value != null) {
        sql.append(" AND ").append(fragment);
        args.add(value);
      }
      return this;
    }

    void bind(PreparedStatement ps) throws SQLException {
      for (int i = 0; i < args.size(); i++) {
        Object v = args.get(i);
        ps.setObject(i + 1, v instanceof Instant t ? LocalDateTime.ofInstant(t, ZoneOffset.UTC) : v);
      }
    }
  }

  private static Where attacksWhere(EventFilter f) {
    return new Where().add("ts >= ?", f.since()).add("ts < ?", f.until())
        .add("site = ?", f.site()).add("country = ?", f.country())
        .add("class = ?", f.attackClass());
  }

  MonthReport month(String month, String site, Instant from, Instant to, int top) {
    try {
      EventFilter f = new EventFilter(from, to, site, null, null);
      Where w = attacksWhere(f);
      long requests = scalar("SELECT coalesce(sum(requests), 0) FROM traffic"
          + new Where().add("hour >= ?", from).add("hour < ?", to).add("site = ?", site).sql,
          new Where().add("hour >= ?", from).add("hour < ?", to).add("site = ?", site));
      long attacks = scalar("SELECT count(*) FROM attacks" + w.sql, w);
      long sources = scalar("SELECT count(DISTINCT src_ip) FROM attacks" + w.sql, w);
      List<CountRow> byCountry = ranked(
          "coalesce(country, CASE WHEN ip_scope = 'public' THEN '?unknown' ELSE '?' || ip_scope END)",
          w, attacks, top);
      byCountry = byCountry.stream().map(Queries::labelCountry).toList();
      List<CountRow> byAsn = ranked("CAST(asn AS VARCHAR) || chr(1) || coalesce(as_org, '')",
          new Where().add("ts >= ?", from).add("ts < ?", to).add("site = ?", site)
              .add("asn > ?", 0L), attacks, top)
          .stream().map(Queries::splitAsn).toList();
      List<CountRow> byClass = ranked("class", w, attacks, 100);
      List<CountRow> byUrl = ranked("split_part(target, '?', 1)", w, attacks, top);
      List<CountRow> byTool = ranked("tool",
          attacksWhere(f).add("tool IS NOT NULL AND TRUE = ?", Boolean.TRUE), attacks, top);
      List<CountRow> topSources = topSources(w, attacks, top);
      List<CountRow> byActor = ranked("actor",
          attacksWhere(f).add("actor IS NOT NULL AND TRUE = ?", Boolean.TRUE), attacks, top);
      List<DayRow> byDay = days(month, site, from, to);
      List<CountRow> sites = site != null ? List.of() : sites(from, to);
      Map<String, Long> skipped = skipped(site, from, to);
      List<ReadError> readErrors = readErrors(site, from, to);
      // the counts depend on which rules ran and on the score that made an attack: both named
      List<String> rulesets = list("SELECT DISTINCT s.ruleset_version || ' (sha256 ' ||"
          + " s.ruleset_sha256 || ', paranoia ' || CAST(" + PARANOIA + " AS VARCHAR)"
          + " || ', threshold ' || CAST(" + THRESHOLD + " AS VARCHAR) || ')' FROM scans s"
          + " WHERE s.id IN (SELECT DISTINCT scan_id FROM attacks" + w.sql + ") ORDER BY 1", w);
      List<String> locations = list("SELECT DISTINCT s.locations FROM scans s WHERE s.id IN"
          + " (SELECT DISTINCT scan_id FROM attacks" + w.sql + ") ORDER BY 1", w);
      return new MonthReport(site, month, requests, attacks, sources, byCountry, byAsn, byClass,
          byUrl, byTool, topSources, byDay, sites, skipped, readErrors, rulesets, locations,
          List.of(), byActor);
    } catch (SQLException e) {
      throw new StoreException("report query failed: " + EvidentStore.firstLine(e));
    }
  }

  private static CountRow labelCountry(CountRow r) {
    String k = r.key();
    if (k == null || k.equals("?unknown")) {
      return new CountRow(null, "Unknown location", r.attacks(), r.sources(), r.share());
    }
    if (k.startsWith("?")) {
      return new CountRow(null, "Not located: " + k.substring(1) + " address", r.attacks(),
          r.sources(), r.share());
    }
    return new CountRow(k, countryName(k), r.attacks(), r.sources(), r.share());
  }

  /** The English short name of an ISO 3166-1 alpha-2 code. */
  static String countryName(String code) {
    String name = new Locale("", code).getDisplayCountry(Locale.ENGLISH);
    return name == null || name.isEmpty() || name.equals(code) ? code : name;
  }

  private static CountRow splitAsn(CountRow r) {
    String[] p = r.key().split("\u0001", 2);
    String org = p.length > 1 && !p[1].isEmpty() ? p[1] : "AS" + p[0];
    return new CountRow(p[0], org, r.attacks(), r.sources(), r.share());
  }

  private List<CountRow> ranked(String expr, Where w, long total, int limit) throws SQLException {
    return counts("SELECT " + expr + " AS k, count(*) AS n, count(DISTINCT src_ip) AS s"
        + " FROM attacks" + w.sql + " GROUP BY k ORDER BY n DESC, k NULLS LAST LIMIT " + limit,
        w, total);
  }

  /** Rows of key, count and distinct sources a query gives, each with its share of total. */
  private List<CountRow> counts(String sql, Where w, long total) throws SQLException {
    List<CountRow> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      w.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String k = rs.getString(1);
          long n = rs.getLong(2);
          out.add(new CountRow(k, k, n, rs.getLong(3), total == 0 ? 0 : (double) n / total));
        }
      }
    }
    return out;
  }

  /**
   * The rules attack requests matched, most first: what a site looks at to tune (which rules
   * its counts rest on). A request counts once for each of its rules, so shares add up to more
   * than the whole.
   */
  private List<CountRow> rules(Where w, long total, int limit) throws SQLException {
    return counts("SELECT k, count(*) AS n, count(DISTINCT src_ip) AS s FROM (SELECT"
        + " unnest(string_split(rule_ids, ',')) AS k, src_ip FROM attacks" + w.sql + ")"
        + " WHERE k <> '' GROUP BY k ORDER BY n DESC, k LIMIT " + limit, w, total);
  }

  private List<CountRow> topSources(Where w, long total, int limit) throws SQLException {
    String sql = "SELECT src_ip, count(*) AS n, any_value(country), any_value(as_org),"
        + " any_value(ip_scope) FROM attacks" + w.sql
        + " GROUP BY src_ip ORDER BY n DESC, src_ip LIMIT " + limit;
    List<CountRow> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      w.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String cc = rs.getString(3);
          String where = cc != null ? countryName(cc)
              : "public".equals(rs.getString(5)) ? "unknown" : rs.getString(5);
          String org = rs.getString(4);
          String label = org == null ? where : where + " · " + org;
          long n = rs.getLong(2);
          out.add(new CountRow(rs.getString(1), label, n, 1, total == 0 ? 0 : (double) n / total));
        }
      }
    }
    return out;
  }

  private List<DayRow> days(String month, String site, Instant from, Instant to)
      throws SQLException {
    Map<String, long[]> byDay = new LinkedHashMap<>();
    YearMonth ym = YearMonth.parse(month);
    for (int d = 1; d <= ym.lengthOfMonth(); d++) {
      byDay.put(ym.atDay(d).toString(), new long[2]);
    }
    Where t = new Where().add("hour >= ?", from).add("hour < ?", to).add("site = ?", site);
    try (PreparedStatement ps = conn.prepareStatement("SELECT CAST(hour AS DATE) AS d,"
        + " sum(requests), sum(attacks) FROM traffic" + t.sql + " GROUP BY d")) {
      t.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long[] v = byDay.get(rs.getObject(1, LocalDate.class).toString());
          if (v != null) {
            v[0] = rs.getLong(2);
            v[1] = rs.getLong(3);
          }
        }
      }
    }
    List<DayRow> out = new ArrayList<>();
    byDay.forEach((d, v) -> out.add(new DayRow(d, v[0], v[1])));
    return out;
  }

  private List<CountRow> sites(Instant from, Instant to) throws SQLException {
    Where t = new Where().add("hour >= ?", from).add("hour < ?", to);
    List<CountRow> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT site, sum(attacks) AS a,"
        + " sum(requests) FROM traffic" + t.sql + " GROUP BY site ORDER BY a DESC, site")) {
      t.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long req = rs.getLong(3);
          long a = rs.getLong(2);
          // for sites, 'sources' carries the site's total requests and share its attack rate
          out.add(new CountRow(rs.getString(1), rs.getString(1), a, req,
              req == 0 ? 0 : (double) a / req));
        }
      }
    }
    return out;
  }

  /**
   * Lines skipped in the month and site (see {@code SourceCommit.SkipKey}); undated ones, and
   * the rows of databases older than their placing, count in every month.
   */
  private Map<String, Long> skipped(String site, Instant from, Instant to) throws SQLException {
    Where w = new Where().add("(hour IS NULL OR hour >= ?)", from)
        .add("(hour IS NULL OR hour < ?)", to).add("(site IS NULL OR site = ?)", site);
    Map<String, Long> out = new LinkedHashMap<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT reason, sum(lines) AS n FROM skipped"
        + w.sql + " GROUP BY reason ORDER BY n DESC, reason")) {
      w.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /**
   * The breaks in the month and site (placed as skipped lines are; undated ones, and the rows of
   * databases older than their placing, in every month), each once however often a later scan
   * met it again; not one that a later scan read past (a .gz still being written when it was
   * first scanned, complete by the next).
   */
  private List<ReadError> readErrors(String site, Instant from, Instant to) throws SQLException {
    Where w = new Where().add("(hour IS NULL OR hour >= ?)", from)
        .add("(hour IS NULL OR hour < ?)", to).add("(site IS NULL OR site = ?)", site);
    List<ReadError> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT DISTINCT source, after_line,"
        + " reason FROM read_errors r" + w.sql + " AND NOT EXISTS (SELECT 1 FROM sources s"
        + " WHERE s.id = r.source_id AND s.lines > r.after_line)"
        + " ORDER BY source, after_line, reason")) {
      w.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ReadError(rs.getString(1), rs.getLong(2), rs.getString(3)));
        }
      }
    }
    return out;
  }

  private long scalar(String sql, Where w) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      w.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private List<String> list(String sql, Where w) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      w.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getString(1) != null) {
            out.add(rs.getString(1));
          }
        }
      }
    }
    return out;
  }

  List<CountRow> top(Dimension d, EventFilter f, int limit) {
    try {
      Where w = attacksWhere(f);
      long total = scalar("SELECT count(*) FROM attacks" + w.sql, w);
      if (d == Dimension.IPS) {
        return topSources(w, total, limit);
      }
      if (d == Dimension.ASNS) {
        return ranked("CAST(asn AS VARCHAR) || chr(1) || coalesce(as_org, '')",
            attacksWhere(f).add("asn > ?", 0L), total, limit).stream()
            .map(Queries::splitAsn).toList();
      }
      if (d == Dimension.COUNTRIES) {
        return ranked("coalesce(country, CASE WHEN ip_scope = 'public' THEN '?unknown'"
            + " ELSE '?' || ip_scope END)", w, total, limit).stream()
            .map(Queries::labelCountry).toList();
      }
      if (d == Dimension.RULES) {
        return rules(w, total, limit);
      }
      String expr = d == Dimension.URLS ? "split_part(target, '?', 1)" : d.column;
      return ranked(expr, w, total, limit);
    } catch (SQLException e) {
      throw new StoreException("query failed: " + EvidentStore.firstLine(e));
    }
  }

  void events(EventFilter f, Consumer<AttackEvent> sink) {
    Where w = attacksWhere(f);
    String sql = "SELECT ts, site, src_ip, ip_scope, country, asn, as_org, class, rule_ids,"
        + " severity, score, tool, method, target, status, user_agent, referer, matched,"
        + " source_file, line_no, byte_offset, line_sha256, segment, leaf_index, actor, matched_in"
        + " FROM attacks" + w.sql
        + " ORDER BY ts, source_file, line_no";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      w.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp ts = rs.getTimestamp(1);
          LocalDateTime ldt = rs.getObject(1, LocalDateTime.class);
          long millis = ldt != null ? ldt.toInstant(ZoneOffset.UTC).toEpochMilli() : ts.getTime();
          sink.accept(new AttackEvent(millis, rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8),
              rs.getString(9), rs.getString(10), rs.getInt(11), rs.getString(12),
              rs.getString(13), rs.getString(14), rs.getInt(15), rs.getString(16),
              rs.getString(17), rs.getString(18), rs.getString(19), rs.getLong(20),
              rs.getLong(21), rs.getString(22), null, rs.getLong(23), rs.getLong(24),
              rs.getString(25), rs.getString(26)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + EvidentStore.firstLine(e));
    }
  }

  List<Long> segmentsOf(EventFilter f) {
    Where w = attacksWhere(f);
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT DISTINCT segment FROM attacks"
        + w.sql + " AND segment IS NOT NULL ORDER BY segment")) {
      w.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + EvidentStore.firstLine(e));
    }
    return out;
  }

  List<EvidentStore.Ruleset> rulesetsOf(EventFilter f) {
    Where w = attacksWhere(f);
    List<EvidentStore.Ruleset> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT DISTINCT s.ruleset_version,"
        + " s.ruleset_sha256, " + PARANOIA + ", " + THRESHOLD + " FROM scans s WHERE s.id IN"
        + " (SELECT DISTINCT scan_id FROM attacks" + w.sql + ") ORDER BY 1, 2, 3, 4")) {
      w.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new EvidentStore.Ruleset(rs.getString(1), rs.getString(2), rs.getInt(3),
              rs.getInt(4)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + EvidentStore.firstLine(e));
    }
    return out;
  }

  List<SourceSummary> sources(EventFilter f, int limit) {
    Where w = attacksWhere(f);
    List<SourceSummary> out = new ArrayList<>();
    String sql = "SELECT src_ip, any_value(ip_scope), any_value(country), coalesce(any_value(asn),"
        + " 0), any_value(as_org), count(*) AS n, min(ts), max(ts),"
        + " list_sort(list_distinct(list(class))), list_sort(list_distinct(list(tool))),"
        + " list_sort(list_distinct(list(actor))) FROM attacks" + w.sql
        + " GROUP BY src_ip ORDER BY n DESC, src_ip LIMIT ?";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      w.bind(ps);
      ps.setLong(w.args.size() + 1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new SourceSummary(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getLong(4), rs.getString(5), rs.getLong(6), millis(rs, 7), millis(rs, 8),
              strings(rs.getArray(9)), strings(rs.getArray(10)), strings(rs.getArray(11))));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + EvidentStore.firstLine(e));
    }
    return out;
  }

  private static long millis(ResultSet rs, int col) throws SQLException {
    return rs.getObject(col, LocalDateTime.class).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private static List<String> strings(java.sql.Array a) throws SQLException {
    List<String> out = new ArrayList<>();
    if (a != null) {
      for (Object o : (Object[]) a.getArray()) {
        if (o != null) {
          out.add(o.toString());
        }
      }
    }
    return out;
  }

  long count(EventFilter f) {
    Where w = attacksWhere(f);
    try {
      return scalar("SELECT count(*) FROM attacks" + w.sql
          + " AND segment IS NOT NULL AND raw_line IS NOT NULL", w);
    } catch (SQLException e) {
      throw new StoreException("query failed: " + EvidentStore.firstLine(e));
    }
  }

  void evidence(EventFilter f, int limit, Consumer<AttackEvent> out) {
    Where w = attacksWhere(f);
    String sql = "SELECT ts, site, src_ip, ip_scope, country, asn, as_org, class, rule_ids,"
        + " severity, score, tool, method, target, status, user_agent, referer, matched,"
        + " source_file, line_no, byte_offset, line_sha256, raw_line, segment, leaf_index, actor,"
        + " matched_in FROM attacks" + w.sql + " AND segment IS NOT NULL AND raw_line IS NOT NULL"
        + " ORDER BY segment, leaf_index LIMIT ?";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      w.bind(ps);
      ps.setLong(w.args.size() + 1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LocalDateTime ldt = rs.getObject(1, LocalDateTime.class);
          out.accept(new AttackEvent(ldt.toInstant(ZoneOffset.UTC).toEpochMilli(), rs.getString(2),
              rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7),
              rs.getString(8), rs.getString(9), rs.getString(10), rs.getInt(11),
              rs.getString(12), rs.getString(13), rs.getString(14), rs.getInt(15),
              rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19),
              rs.getLong(20), rs.getLong(21), rs.getString(22), rs.getString(23),
              rs.getLong(24), rs.getLong(25), rs.getString(26), rs.getString(27)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + EvidentStore.firstLine(e));
    }
  }

  QueryResult adHoc(String sql, int maxRows) {
    try (Statement st = conn.createStatement()) {
      if (!st.execute(sql)) {
        return new QueryResult(List.of("result"), List.of(List.of("ok")), false);
      }
      try (ResultSet rs = st.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          cols.add(md.getColumnLabel(i));
        }
        List<List<String>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
          if (rows.size() >= maxRows) {
            truncated = true;
            break;
          }
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= cols.size(); i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
        return new QueryResult(cols, rows, truncated);
      }
    } catch (SQLException e) {
      throw new StoreException("SQL error: " + EvidentStore.firstLine(e));
    }
  }
}
