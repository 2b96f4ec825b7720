package org.evident.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The embedded DuckDB database: schema, writes and queries. The only class that speaks SQL;
 * every value that came from a log is bound as a parameter or appended, never spliced into SQL.
 */
public final class EvidentStore implements AutoCloseable {
  /** Bumped whenever the schema changes incompatibly. */
  public static final int SCHEMA_VERSION = 1;

  private final Connection conn;
  private final boolean readOnly;

  private EvidentStore(Connection conn, boolean readOnly) {
    this.conn = conn;
    this.readOnly = readOnly;
  }

  /**
   * Opens (creating if needed) a store for writing.
   *
   * @throws StoreException with a sentence naming the file
   */
  public static EvidentStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
        throw new StoreException("cannot create database " + file + ": folder " + parent
            + " does not exist");
      }
      Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
      EvidentStore s = new EvidentStore(c, false);
      s.createSchema();
      return s;
    } catch (SQLException e) {
      throw new StoreException("cannot open database " + file + ": " + firstLine(e));
    }
  }

  /**
   * Opens an existing store read-only, for reports and ad-hoc SQL.
   *
   * @throws StoreException when the file is missing or not a store
   */
  public static EvidentStore openReadOnly(Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new StoreException("no database at " + file
          + " (scan some logs first, or name one with --db)");
    }
    try {
      Properties p = new Properties();
      p.setProperty("duckdb.read_only", "true");
      Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), p);
      EvidentStore s = new EvidentStore(c, true);
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
        if (!rs.next()) {
          throw new StoreException(file + " is not an Evident database");
        }
      } catch (SQLException e) {
        c.close();
        throw new StoreException(file + " is not an Evident database");
      }
      return s;
    } catch (SQLException e) {
      throw new StoreException("cannot open database " + file + ": " + firstLine(e));
    }
  }

  private void createSchema() throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)");
      st.execute("INSERT INTO meta VALUES ('schema', '" + SCHEMA_VERSION + "') ON CONFLICT DO NOTHING");
      st.execute("CREATE SEQUENCE IF NOT EXISTS scan_ids START 1");
      st.execute("CREATE SEQUENCE IF NOT EXISTS source_ids START 1");
      st.execute("CREATE TABLE IF NOT EXISTS scans (id BIGINT PRIMARY KEY, started TIMESTAMP,"
          + " finished TIMESTAMP, ruleset_version VARCHAR, ruleset_sha256 VARCHAR,"
          + " locations VARCHAR, lines BIGINT, requests BIGINT, attacks BIGINT)");
      st.execute("CREATE TABLE IF NOT EXISTS sources (id BIGINT PRIMARY KEY, path VARCHAR,"
          + " fingerprint VARCHAR, fingerprint_len BIGINT, raw_size BIGINT, \"offset\" BIGINT,"
          + " lines BIGINT, last_scan BIGINT)");
      st.execute("CREATE TABLE IF NOT EXISTS attacks (ts TIMESTAMP NOT NULL, site VARCHAR,"
          + " src_ip VARCHAR, ip_scope VARCHAR, country VARCHAR, asn BIGINT, as_org VARCHAR,"
          + " class VARCHAR, rule_ids VARCHAR, severity VARCHAR, score INTEGER, tool VARCHAR,"
          + " method VARCHAR, target VARCHAR, status INTEGER, user_agent VARCHAR,"
          + " referer VARCHAR, matched VARCHAR, source_file VARCHAR, line_no BIGINT,"
          + " byte_offset BIGINT, line_sha256 VARCHAR, scan_id BIGINT, source_id BIGINT)");
      st.execute("CREATE TABLE IF NOT EXISTS traffic (site VARCHAR, hour TIMESTAMP,"
          + " requests BIGINT, attacks BIGINT, PRIMARY KEY (site, hour))");
      st.execute("CREATE TABLE IF NOT EXISTS skipped (scan_id BIGINT, source VARCHAR,"
          + " reason VARCHAR, lines BIGINT)");
    }
  }

  // ---------------------------------------------------------------- writing

  /** Records the start of a scan and returns its id. */
  public long beginScan(String rulesetVersion, String rulesetSha256, String locations) {
    try (PreparedStatement ps = conn.prepareStatement(
        "INSERT INTO scans (id, started, ruleset_version, ruleset_sha256, locations, lines,"
            + " requests, attacks) VALUES (nextval('scan_ids'), ?, ?, ?, ?, 0, 0, 0) RETURNING id")) {
      ps.setObject(1, LocalDateTime.now(ZoneOffset.UTC));
      ps.setString(2, rulesetVersion);
      ps.setString(3, rulesetSha256);
      ps.setString(4, locations);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record the scan: " + firstLine(e));
    }
  }

  /** Records the end of a scan with its totals. */
  public void finishScan(long scanId, long lines, long requests, long attacks) {
    try (PreparedStatement ps = conn.prepareStatement(
        "UPDATE scans SET finished = ?, lines = ?, requests = ?, attacks = ? WHERE id = ?")) {
      ps.setObject(1, LocalDateTime.now(ZoneOffset.UTC));
      ps.setLong(2, lines);
      ps.setLong(3, requests);
      ps.setLong(4, attacks);
      ps.setLong(5, scanId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot record the scan: " + firstLine(e));
    }
  }

  /** Sources already scanned that might be this file: same path, or same 4 KiB fingerprint. */
  public List<SourceRecord> candidates(String path, String fingerprint4k) {
    List<SourceRecord> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT id, path, fingerprint, fingerprint_len, raw_size, \"offset\", lines FROM sources"
            + " WHERE path = ? OR (fingerprint = ? AND fingerprint_len = 4096)"
            + " ORDER BY (path = ?) DESC, \"offset\" DESC")) {
      ps.setString(1, path);
      ps.setString(2, fingerprint4k);
      ps.setString(3, path);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new SourceRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
              rs.getLong(5), rs.getLong(6), rs.getLong(7)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the source list: " + firstLine(e));
    }
    return out;
  }

  /** Writes one source's results in one transaction; returns the source id. */
  public long commit(SourceCommit c) {
    try {
      conn.setAutoCommit(false);
      long sourceId = c.sourceId();
      if (sourceId == -1) {
        try (Statement st = conn.createStatement();
            ResultSet rs = st.executeQuery("SELECT nextval('source_ids')")) {
          rs.next();
          sourceId = rs.getLong(1);
        }
      }
      if (!c.attacks().isEmpty()) {
        try (DuckDBAppender app = ((DuckDBConnection) conn).createAppender(
            DuckDBConnection.DEFAULT_SCHEMA, "attacks")) {
          for (AttackEvent a : c.attacks()) {
            app.beginRow();
            app.append(LocalDateTime.ofEpochSecond(Math.floorDiv(a.epochMillis(), 1000),
                (int) Math.floorMod(a.epochMillis(), 1000) * 1_000_000, ZoneOffset.UTC));
            app.append(a.site());
            app.append(a.sourceIp());
            app.append(a.ipScope());
            app.append(a.country());
            app.append(a.asn());
            app.append(a.asOrganisation());
            app.append(a.attackClass());
            app.append(a.ruleIds());
            app.append(a.severity());
            app.append(a.score());
            app.append(a.tool());
            app.append(a.method());
            app.append(a.target());
            app.append(a.status());
            app.append(a.userAgent());
            app.append(a.referer());
            app.append(a.matched());
            app.append(a.sourceFile());
            app.append(a.lineNumber());
            app.append(a.byteOffset());
            app.append(a.lineSha256());
            app.append(c.scanId());
            app.append(sourceId);
            app.endRow();
          }
        }
      }
      if (!c.traffic().isEmpty()) {
        try (PreparedStatement ps = conn.prepareStatement(
            "INSERT INTO traffic VALUES (?, ?, ?, ?) ON CONFLICT (site, hour) DO UPDATE SET"
                + " requests = requests + excluded.requests,"
                + " attacks = attacks + excluded.attacks")) {
          for (Map.Entry<SourceCommit.TrafficKey, long[]> e : c.traffic().entrySet()) {
            ps.setString(1, e.getKey().site());
            ps.setObject(2, LocalDateTime.ofEpochSecond(e.getKey().hourMillis() / 1000, 0,
                ZoneOffset.UTC));
            ps.setLong(3, e.getValue()[0]);
            ps.setLong(4, e.getValue()[1]);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      if (!c.skipped().isEmpty()) {
        try (PreparedStatement ps = conn.prepareStatement(
            "INSERT INTO skipped VALUES (?, ?, ?, ?)")) {
          for (Map.Entry<String, Long> e : c.skipped().entrySet()) {
            ps.setLong(1, c.scanId());
            ps.setString(2, c.source().path());
            ps.setString(3, e.getKey());
            ps.setLong(4, e.getValue());
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      if (c.sourceId() != -2) {
        SourceRecord s = c.source();
        try (PreparedStatement ps = conn.prepareStatement(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          ps.setLong(1, sourceId);
          ps.setString(2, s.path());
          ps.setString(3, s.fingerprint());
          ps.setLong(4, s.fingerprintLength());
          ps.setLong(5, s.rawSize());
          ps.setLong(6, s.offset());
          ps.setLong(7, s.lines());
          ps.setLong(8, c.scanId());
          ps.executeUpdate();
        }
      }
      conn.commit();
      conn.setAutoCommit(true);
      return sourceId;
    } catch (SQLException e) {
      try {
        conn.rollback();
        conn.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the original failure is the one to report
      }
      throw new StoreException("cannot write scan results: " + firstLine(e));
    }
  }

  // ---------------------------------------------------------------- reading

  /** The most recent month (yyyy-mm) with traffic, or {@code null} for an empty store. */
  public String latestMonth() {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT strftime(max(hour), '%Y-%m') FROM traffic")) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new StoreException("query failed: " + firstLine(e));
    }
  }

  /** The month's figures for one site, or all sites when {@code site} is null. */
  public MonthReport monthReport(String month, String site, int top) {
    Instant from = Instant.parse(month + "-01T00:00:00Z");
    Instant to = java.time.YearMonth.parse(month).plusMonths(1).atDay(1)
        .atStartOfDay(ZoneOffset.UTC).toInstant();
    return new Queries(conn).month(month, site, from, to, top);
  }

  /** Ranked counts of one dimension over a filter. */
  public List<CountRow> top(Dimension dimension, EventFilter filter, int limit) {
    return new Queries(conn).top(dimension, filter, limit);
  }

  /** Streams stored attack events in time order. */
  public void events(EventFilter filter, java.util.function.Consumer<AttackEvent> sink) {
    new Queries(conn).events(filter, sink);
  }

  /** Runs a read-only query for {@code evident sql}. */
  public QueryResult query(String sql, int maxRows) {
    if (!readOnly) {
      throw new IllegalStateException("ad-hoc SQL runs only on a read-only store");
    }
    return new Queries(conn).adHoc(sql, maxRows);
  }

  /** Total attack rows stored (for summaries and tests). */
  public long attackCount() {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM attacks")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("query failed: " + firstLine(e));
    }
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the database: " + firstLine(e));
    }
  }

  static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
