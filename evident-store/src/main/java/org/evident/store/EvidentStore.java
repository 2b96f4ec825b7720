package org.evident.store;

import org.evident.evidence.SignedHead;
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
import org.evident.evidence.MerkleTree;
import org.evident.evidence.TreeHead;

/**
 * The embedded DuckDB database: schema, writes and queries. The only class that speaks SQL;
 * every value that came from a log is bound as a parameter or appended, never spliced into SQL.
 */
public final class EvidentStore implements AutoCloseable {
  /** Bumped whenever the schema changes incompatibly. */
  public static final int SCHEMA_VERSION = 6;

  private final Connection conn;
  private final boolean readOnly;
  private final Path file;
  /**
   * A second connection to the same database, for {@link #candidates}: a scan looks up its next
   * source while the committing thread still writes the one before on {@link #conn}.
   */
  private Connection lookups;
  private PreparedStatement lookup;
  /** Statements run for every source, prepared once: preparing one took DuckDB 0.5 ms. */
  private final Map<String, PreparedStatement> prepared = new java.util.HashMap<>();
  /** Attack rows staged ahead of the next commit, in its open transaction (null: none). */
  private DuckDBAppender staging;
  /** The segment and source the staged rows belong to. */
  private long stagedSeq;
  private long stagedSource;

  private EvidentStore(Connection conn, boolean readOnly, Path file) {
    this.conn = conn;
    this.readOnly = readOnly;
    this.file = file;
  }

  /**
   * A DuckDB connection to {@code file}. DuckDB's engine is a native library that the runnable
   * jar keeps beside itself; a jar copied away from it fails here, which is said in a sentence.
   */
  static Connection connect(Path file, Properties p) throws SQLException {
    loadIoLibraryFirst();
    if (!nativeLibraryAtHand()) {
      throw new StoreException(NO_NATIVE_LIBRARY);
    }
    try {
      return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), p);
    } catch (LinkageError e) {
      throw new StoreException(NO_NATIVE_LIBRARY);
    }
  }

  /**
   * Java 17 loads every native library under one lock, and DuckDB's takes 0.1-0.2 s to load. A
   * scan opens the store on a thread of its own while the main thread reads rule files, and the
   * first file read loads the JDK's I/O library: it waited for DuckDB's (0.13 s of a CRS scan's
   * start). Loaded here first, it no longer does.
   */
  private static void loadIoLibraryFirst() {
    try {
      Class.forName("sun.nio.ch.IOUtil");
    } catch (ClassNotFoundException | LinkageError e) {
      // another JDK: nothing to load early, only a little time lost
    }
  }

  private static final String NO_NATIVE_LIBRARY = "cannot load DuckDB's native library: keep the"
      + " libduckdb_java.so_* files beside evident.jar, or run Evident with ./evident";

  /**
   * Whether DuckDB will find its library: inside its own jar (as Maven resolves it), or beside
   * the jar its classes were packed into. Checked first, because DuckDB prints a stack trace of
   * its own before it fails.
   */
  private static boolean nativeLibraryAtHand() {
    Class<?> driver = org.duckdb.DuckDBDriver.class;
    for (String os : new String[] {"linux_amd64", "linux_arm64", "osx_universal",
        "windows_amd64"}) {
      if (driver.getResource("/libduckdb_java.so_" + os) != null) {
        return true;
      }
    }
    try {
      Path jar = Path.of(driver.getProtectionDomain().getCodeSource().getLocation().toURI());
      try (var files = java.nio.file.Files.list(jar.toAbsolutePath().getParent())) {
        return files.anyMatch(f -> f.getFileName().toString().startsWith("libduckdb_java.so_"));
      }
    } catch (Exception e) {
      return true; // cannot tell: let DuckDB try
    }
  }

  /**
   * Opens (creating if needed) a store for writing.
   *
   * @throws StoreException with a sentence naming the file
   */
  public static EvidentStore open(Path file) {
    return open(file, new Properties());
  }

  /**
   * Opens (creating if needed) a store for a scan: DuckDB runs on one thread of its own. A scan
   * only appends, which DuckDB's worker threads do not speed up, and on a small machine they
   * compete with the scan's (a 1M-line scan on two cores, nine alternating pairs: 4% less
   * CPU, a fifth less system time).
   *
   * @throws StoreException with a sentence naming the file
   */
  public static EvidentStore openForScan(Path file) {
    Properties p = new Properties();
    p.setProperty("threads", "1");
    EvidentStore s = open(file, p);
    try {
      s.openLookups(); // here, before a scan's committing thread uses the first connection
    } catch (SQLException e) {
      s.close();
      throw new StoreException(openFailure(file, e));
    }
    return s;
  }

  private static EvidentStore open(Path file, Properties properties) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
        throw new StoreException("cannot create database " + file + ": folder " + parent
            + " does not exist");
      }
      Connection c = connect(file, properties);
      EvidentStore s = new EvidentStore(c, false, file);
      s.createSchema();
      return s;
    } catch (SQLException e) {
      throw new StoreException(openFailure(file, e));
    }
  }

  /**
   * Opens an existing store read-only, for reports and ad-hoc SQL. Read-only is the store's
   * file only: DuckDB's queries can also read and write other files ({@code COPY ... TO},
   * {@code read_csv}), attach databases and load extensions. {@code evident sql} promises that
   * nothing changes, so that access is switched off and the setting locked against {@code SET}.
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
      p.setProperty("enable_external_access", "false");
      p.setProperty("lock_configuration", "true");
      Connection c = connect(file, p);
      EvidentStore s = new EvidentStore(c, true, file);
      int version;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
        if (!rs.next()) {
          throw new StoreException(file + " is not an Evident database");
        }
        version = Integer.parseInt(rs.getString(1));
      } catch (SQLException | NumberFormatException e) {
        c.close();
        throw new StoreException(file + " is not an Evident database");
      }
      if (version < SCHEMA_VERSION) {
        // made by an older Evident: upgrade it in place (new columns only), then read
        c.close();
        open(file).close();
        return openReadOnly(file);
      }
      return s;
    } catch (SQLException e) {
      throw new StoreException(openFailure(file, e));
    }
  }

  private void createSchema() throws SQLException {
    try (Statement st = conn.createStatement()) {
      // this connection's own: commits gather their hourly totals here (see insertTraffic)
      st.execute("CREATE TEMP TABLE IF NOT EXISTS traffic_batch (site VARCHAR, hour TIMESTAMP,"
          + " requests BIGINT, attacks BIGINT)");
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
          + " byte_offset BIGINT, line_sha256 VARCHAR" + FSST + ", scan_id BIGINT,"
          + " source_id BIGINT)");
      st.execute("CREATE TABLE IF NOT EXISTS traffic (site VARCHAR, hour TIMESTAMP,"
          + " requests BIGINT, attacks BIGINT, PRIMARY KEY (site, hour))");
      st.execute("CREATE TABLE IF NOT EXISTS skipped (scan_id BIGINT, source VARCHAR,"
          + " reason VARCHAR, lines BIGINT)");
      // schema 2: commitments (segments, leaf positions, raw attack lines) and intel tags
      st.execute("ALTER TABLE scans ADD COLUMN IF NOT EXISTS paranoia INTEGER");
      st.execute("ALTER TABLE attacks ADD COLUMN IF NOT EXISTS segment BIGINT");
      st.execute("ALTER TABLE attacks ADD COLUMN IF NOT EXISTS leaf_index BIGINT");
      st.execute("ALTER TABLE attacks ADD COLUMN IF NOT EXISTS raw_line VARCHAR" + FSST);
      st.execute("ALTER TABLE attacks ADD COLUMN IF NOT EXISTS actor VARCHAR");
      st.execute("CREATE TABLE IF NOT EXISTS segments (seq BIGINT PRIMARY KEY, source_id BIGINT,"
          + " source VARCHAR, format VARCHAR, first_line BIGINT, size BIGINT, root VARCHAR,"
          + " prev VARCHAR, created VARCHAR, head_hash VARCHAR, key_id VARCHAR,"
          + " signature VARCHAR)");
      st.execute("CREATE TABLE IF NOT EXISTS intel (network VARCHAR, actor VARCHAR,"
          + " kind VARCHAR, stix_id VARCHAR, source VARCHAR, imported TIMESTAMP)");
      // schema 3: the anomaly threshold a scan counted attacks with
      st.execute("ALTER TABLE scans ADD COLUMN IF NOT EXISTS threshold INTEGER");
      // schema 4: logs that broke off mid-read (their rest is unknown, so it is no line count)
      st.execute("CREATE TABLE IF NOT EXISTS read_errors (scan_id BIGINT, source VARCHAR,"
          + " after_line BIGINT, reason VARCHAR, source_id BIGINT)");
      st.execute("ALTER TABLE read_errors ADD COLUMN IF NOT EXISTS source_id BIGINT");
      // ... and skipped lines placed in the site and hour of the request before them (rows of
      // older databases have neither, and count in every report, as they always did)
      st.execute("ALTER TABLE skipped ADD COLUMN IF NOT EXISTS site VARCHAR");
      st.execute("ALTER TABLE skipped ADD COLUMN IF NOT EXISTS hour TIMESTAMP");
      // ... and the format a source was read in, with its parser's state where it stopped
      st.execute("ALTER TABLE sources ADD COLUMN IF NOT EXISTS format VARCHAR");
      st.execute("ALTER TABLE sources ADD COLUMN IF NOT EXISTS parser_state VARCHAR");
      st.execute("ALTER TABLE sources ADD COLUMN IF NOT EXISTS behaviour_state VARCHAR");
      // schema 5: breaks placed as skipped lines are (older rows are named in every report)
      st.execute("ALTER TABLE read_errors ADD COLUMN IF NOT EXISTS site VARCHAR");
      st.execute("ALTER TABLE read_errors ADD COLUMN IF NOT EXISTS hour TIMESTAMP");
      // schema 6: where in the request the first rule matched (null in older rows)
      st.execute("ALTER TABLE attacks ADD COLUMN IF NOT EXISTS matched_in VARCHAR");
      st.execute("UPDATE meta SET value = '" + SCHEMA_VERSION + "' WHERE key = 'schema'");
    }
  }

  /**
   * The compression of the two columns that are most of a checkpoint's work: the lines' hashes
   * and the raw lines. DuckDB otherwise tries every method on each column at each checkpoint,
   * and FSST won for both every time (hex digits and log text): naming it halves their part of
   * a checkpoint (30,000 attack rows: 86 -> 44 ms) for the same size on disk.
   */
  private static final String FSST = " USING COMPRESSION fsst";

  // ---------------------------------------------------------------- writing

  /** Records the start of a scan and returns its id. */
  public long beginScan(String rulesetVersion, String rulesetSha256, int paranoia,
      int threshold, String locations) {
    try (PreparedStatement ps = conn.prepareStatement(
        "INSERT INTO scans (id, started, ruleset_version, ruleset_sha256, locations, lines,"
            + " requests, attacks, paranoia, threshold) VALUES (nextval('scan_ids'), ?, ?, ?, ?,"
            + " 0, 0, 0, ?, ?) RETURNING id")) {
      ps.setObject(1, LocalDateTime.now(ZoneOffset.UTC));
      ps.setString(2, rulesetVersion);
      ps.setString(3, rulesetSha256);
      ps.setString(4, locations);
      ps.setInt(5, paranoia);
      ps.setInt(6, threshold);
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

  /**
   * Sources already scanned that might be this file: same path, or one of its 4 KiB fingerprints
   * (a file may be known by two: see {@code LogSource.fingerprints}). Read on a connection of its
   * own, so it may run while a commit is being written: it sees what was committed before the
   * call, not a commit in progress.
   */
  public List<SourceRecord> candidates(String path, List<String> fingerprints4k) {
    List<SourceRecord> out = new ArrayList<>();
    try {
      if (lookup == null) {
        openLookups(); // a store not opened for a scan: nothing writes meanwhile
      }
      PreparedStatement ps = lookup;
      ps.setString(1, path);
      ps.setString(2, fingerprints4k.get(0));
      ps.setString(3, fingerprints4k.get(fingerprints4k.size() - 1));
      ps.setString(4, path);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new SourceRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
              rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9),
              rs.getString(10)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the source list: " + firstLine(e));
    }
    return out;
  }

  /**
   * The sources stored under {@code folder} (paths that begin with it) that have behavioural
   * windows, by id, most recently scanned first, with their paths. A log that rotation began
   * anew looks among them for the file it follows, when the scan is not given that file (its
   * windows: {@link #behaviourState}). Read on the lookup connection, as {@link #candidates}.
   */
  public Map<Long, String> sourcesWithWindowsIn(String folder) {
    Map<Long, String> out = new java.util.LinkedHashMap<>();
    try {
      if (lookups == null) {
        openLookups();
      }
      try (PreparedStatement ps = lookups.prepareStatement("SELECT id, path FROM sources"
          + " WHERE behaviour_state IS NOT NULL AND starts_with(path, ?)"
          + " ORDER BY last_scan DESC, id DESC")) {
        ps.setString(1, folder);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getLong(1), rs.getString(2));
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the source list: " + firstLine(e));
    }
    return out;
  }

  /** The behavioural windows stored with source {@code id}, or null. */
  public String behaviourState(long id) {
    try {
      if (lookups == null) {
        openLookups();
      }
      try (PreparedStatement ps = lookups.prepareStatement(
          "SELECT behaviour_state FROM sources WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the source list: " + firstLine(e));
    }
  }

  private void openLookups() throws SQLException {
    lookups = ((DuckDBConnection) conn).duplicate();
    lookup = lookups.prepareStatement(
        "SELECT id, path, fingerprint, fingerprint_len, raw_size, \"offset\", lines, format,"
            + " parser_state, behaviour_state FROM sources WHERE path = ? OR (fingerprint IN (?, ?)"
            + " AND fingerprint_len = 4096)"
            + " ORDER BY (path = ?) DESC, \"offset\" DESC");
  }

  /** A new source's id, for rows staged before its first commit. */
  public long newSourceId() {
    try {
      return nextSourceId();
    } catch (SQLException e) {
      throw new StoreException("cannot write scan results: " + firstLine(e));
    }
  }

  private long nextSourceId() throws SQLException {
    try (ResultSet rs = prepared("SELECT nextval('source_ids')").executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {@code sql} prepared on this connection, kept until the store closes. */
  private PreparedStatement prepared(String sql) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = conn.prepareStatement(sql);
      prepared.put(sql, ps);
    }
    return ps;
  }

  /**
   * Appends attack rows ahead of the commit that will cover them, in that commit's transaction. A
   * scan hands rows over as it finds them, so the commit that ends a log has few left to write:
   * DuckDB takes a quarter of a second for ten thousand rows, and at the end of a scan nothing
   * else is left to do meanwhile. Staged rows are kept only if {@link #commit} follows with the
   * segment {@code seq} of source {@code sourceId}; a failed commit, or closing, drops them.
   *
   * @param seq the sequence number the head of the segment covering these rows will have
   * @param firstLine the first line that segment covers
   */
  public void stage(List<AttackEvent> attacks, long scanId, long sourceId, long seq,
      long firstLine) {
    try {
      if (staging == null) {
        begin();
        staging = ((DuckDBConnection) conn).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
            "attacks");
        stagedSeq = seq;
        stagedSource = sourceId;
      } else if (seq != stagedSeq || sourceId != stagedSource) {
        throw new IllegalStateException("rows staged for segment " + seq + " while segment "
            + stagedSeq + " is open");
      }
      for (AttackEvent a : attacks) {
        appendAttack(staging, a, scanId, sourceId, true, seq, firstLine);
      }
    } catch (SQLException e) {
      abandon();
      throw new StoreException("cannot write scan results: " + firstLine(e));
    }
  }

  /**
   * Opens the transaction a commit writes in. DuckDB's driver begins one lazily, at the first
   * statement after auto-commit is turned off; an appender is no statement, and rows appended
   * first were committed on their own, ahead of the rest of their commit (a crash between the
   * two then stored them twice: once now, once when the next scan read their lines again).
   */
  private void begin() throws SQLException {
    conn.setAutoCommit(false);
    prepared("SELECT 1").execute();
  }

  /** Drops rows staged for a commit that will not come (a scan of the source failed). */
  public void dropStaged() {
    if (staging != null) {
      abandon();
    }
  }

  /** Drops staged rows, and the transaction they were in. */
  private void abandon() {
    try {
      if (staging != null) {
        staging.close();
      }
    } catch (SQLException ignored) {
      // rolled back below either way
    }
    staging = null;
    try {
      conn.rollback();
      conn.setAutoCommit(true);
    } catch (SQLException ignored) {
      // the original failure is the one to report
    }
  }

  /**
   * Writes one source's results in one transaction, with any rows staged for it; returns the
   * source id.
   */
  public long commit(SourceCommit c) {
    try {
      if (staging == null) {
        conn.setAutoCommit(false); // the transaction begins with the first statement below
      }
      long sourceId = c.sourceId() == -1 ? nextSourceId() : c.sourceId();
      if (c.sourceId() != -2) {
        SourceRecord s = c.source();
        PreparedStatement ps = prepared("INSERT OR REPLACE INTO sources (id, path, fingerprint,"
            + " fingerprint_len, raw_size, \"offset\", lines, last_scan, format, parser_state,"
            + " behaviour_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setLong(1, sourceId);
        ps.setString(2, s.path());
        ps.setString(3, s.fingerprint());
        ps.setLong(4, s.fingerprintLength());
        ps.setLong(5, s.rawSize());
        ps.setLong(6, s.offset());
        ps.setLong(7, s.lines());
        ps.setLong(8, c.scanId());
        ps.setString(9, s.format());
        ps.setString(10, s.parserState());
        ps.setString(11, s.behaviourState());
        ps.executeUpdate();
      } else if (staging == null) {
        begin(); // standard input has no source row: begun before the attack rows' appender
      }
      appendAttacks(c, sourceId);
      insertTraffic(c);
      insertSkipped(c);
      if (c.readError() != null) {
        SourceCommit.ReadBreak b = c.readError();
        PreparedStatement ps = prepared("INSERT INTO read_errors (scan_id, source, after_line,"
            + " reason, source_id, site, hour) VALUES (?, ?, ?, ?, ?, ?, ?)");
        ps.setLong(1, c.scanId());
        ps.setString(2, c.source().path());
        ps.setLong(3, c.source().lines());
        ps.setString(4, b.reason());
        ps.setLong(5, sourceId); // -2 for standard input, which is never read again
        ps.setString(6, b.site());
        ps.setObject(7, b.hourMillis() == SourceCommit.SkipKey.UNDATED ? null
            : utc(b.hourMillis()));
        ps.executeUpdate();
      }
      if (c.segment() != null) {
        insertHead(c.segment().head(), sourceId);
        c.segment().leaves().finish(LeafFile.file(file, c.segment().head().head().seq()));
      }
      conn.commit();
      conn.setAutoCommit(true);
      return sourceId;
    } catch (RuntimeException e) {
      abandon(); // nothing of a failed commit, staged rows included, is kept
      throw e;
    } catch (SQLException | java.io.IOException e) {
      abandon();
      throw new StoreException("cannot write scan results: "
          + (e instanceof SQLException q ? firstLine(q) : e.getMessage()));
    }
  }

  /*
   * The commit's parts are methods of their own: the loops ran inside one large method, which
   * the JIT compiled mid-loop (on-stack replacement) with every append inlined, at a cost of a
   * quarter of a second of compiler time in a scan of all-attack lines.
   */

  private void appendAttacks(SourceCommit c, long sourceId) throws SQLException {
    TreeHead h = c.segment() == null ? null : c.segment().head().head();
    if (staging != null) {
      if (h == null || h.seq() != stagedSeq || sourceId != stagedSource) {
        throw new IllegalStateException("rows were staged for segment " + stagedSeq
            + " of source " + stagedSource + ", not this commit's");
      }
      DuckDBAppender app = staging;
      staging = null; // closed below whatever happens; abandon() must not close it again
      try (app) {
        for (AttackEvent a : c.attacks()) {
          appendAttack(app, a, c.scanId(), sourceId, true, h.seq(), h.firstLine());
        }
      }
      return;
    }
    if (c.attacks().isEmpty()) {
      return;
    }
    try (DuckDBAppender app = ((DuckDBConnection) conn).createAppender(
        DuckDBConnection.DEFAULT_SCHEMA, "attacks")) {
      for (AttackEvent a : c.attacks()) {
        appendAttack(app, a, c.scanId(), sourceId, h != null, h == null ? 0 : h.seq(),
            h == null ? 0 : h.firstLine());
      }
    }
  }

  /** Epoch milliseconds as the UTC time stamp the tables hold. */
  private static LocalDateTime utc(long epochMillis) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
        (int) Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.UTC);
  }

  private static void appendAttack(DuckDBAppender app, AttackEvent a, long scanId,
      long sourceId, boolean inSegment, long seq, long firstLine) throws SQLException {
    app.beginRow();
    app.append(utc(a.epochMillis()));
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
    app.append(scanId);
    app.append(sourceId);
    if (inSegment) {
      app.append(seq);
      app.append(a.lineNumber() - firstLine);
    } else {
      app.appendNull();
      app.appendNull();
    }
    app.append(a.rawLine());
    app.appendNull(); // actor: set by imports, after the scan
    app.append(a.matchedIn());
    app.endRow();
  }

  /**
   * Adds the commit's counts to the traffic totals. The rows go through a temporary table in one
   * upsert: one upsert statement per site and hour cost a third of a millisecond each, and a
   * month's log has some seven hundred hours (a third of the committing thread's time).
   */
  private void insertTraffic(SourceCommit c) throws SQLException {
    if (c.traffic().isEmpty()) {
      return;
    }
    try (DuckDBAppender app = ((DuckDBConnection) conn).createAppender("temp", "main",
        "traffic_batch")) {
      for (Map.Entry<SourceCommit.TrafficKey, long[]> e : c.traffic().entrySet()) {
        app.beginRow();
        app.append(e.getKey().site());
        app.append(utc(e.getKey().hourMillis()));
        app.append(e.getValue()[0]);
        app.append(e.getValue()[1]);
        app.endRow();
      }
    }
    prepared("INSERT INTO traffic SELECT site, hour, requests, attacks FROM traffic_batch"
        + " ON CONFLICT (site, hour) DO UPDATE SET requests = requests + excluded.requests,"
        + " attacks = attacks + excluded.attacks").execute();
    prepared("DELETE FROM traffic_batch").execute();
  }

  private void insertSkipped(SourceCommit c) throws SQLException {
    if (c.skipped().isEmpty()) {
      return;
    }
    PreparedStatement ps = prepared("INSERT INTO skipped (scan_id, source, reason, lines, site,"
        + " hour) VALUES (?, ?, ?, ?, ?, ?)");
    for (Map.Entry<SourceCommit.SkipKey, Long> e : c.skipped().entrySet()) {
      SourceCommit.SkipKey k = e.getKey();
      ps.setLong(1, c.scanId());
      ps.setString(2, c.source().path());
      ps.setString(3, k.reason());
      ps.setLong(4, e.getValue());
      ps.setString(5, k.site());
      ps.setObject(6, k.hourMillis() == SourceCommit.SkipKey.UNDATED ? null : utc(k.hourMillis()));
      ps.addBatch();
    }
    ps.executeBatch();
  }

  private void insertHead(SignedHead sh, long sourceId) throws SQLException {
    TreeHead h = sh.head();
    PreparedStatement ps = prepared(
        "INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ps.setLong(1, h.seq());
    ps.setLong(2, sourceId);
    ps.setString(3, h.source());
    ps.setString(4, h.format());
    ps.setLong(5, h.firstLine());
    ps.setLong(6, h.size());
    ps.setString(7, h.root());
    ps.setString(8, h.prev());
    ps.setString(9, h.created());
    ps.setString(10, h.hash());
    ps.setString(11, sh.keyId());
    ps.setString(12, sh.signature());
    ps.executeUpdate();
  }

  // ---------------------------------------------------------------- commitments

  /** A writer for the next segment's leaf hashes (closed by the commit that names it). */
  public LeafFile.Writer newLeafWriter() {
    return new LeafFile.Writer(file);
  }

  /** The newest tree head, or null before the first segment. */
  public SignedHead lastHead() {
    List<SignedHead> l = heads("WHERE seq = (SELECT max(seq) FROM segments)");
    return l.isEmpty() ? null : l.get(0);
  }

  /** Every tree head, in chain order. */
  public List<SignedHead> heads() {
    return heads("");
  }

  private List<SignedHead> heads(String where) {
    List<SignedHead> out = new ArrayList<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT seq, source, format, first_line, size, root, prev,"
            + " created, key_id, signature FROM segments " + where + " ORDER BY seq")) {
      while (rs.next()) {
        out.add(new SignedHead(new TreeHead(rs.getLong(1), rs.getString(2), rs.getString(3),
            rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8)),
            rs.getString(9), rs.getString(10)));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the tree heads: " + firstLine(e));
    }
    return out;
  }

  /** Records the signature of a head signed after its scan. */
  public void signHead(long seq, String keyId, String signature) {
    try (PreparedStatement ps = conn.prepareStatement(
        "UPDATE segments SET key_id = ?, signature = ? WHERE seq = ?")) {
      ps.setString(1, keyId);
      ps.setString(2, signature);
      ps.setLong(3, seq);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot record a signature: " + firstLine(e));
    }
  }

  /** The segments holding the attack rows a filter selects: what figures over it rest on. */
  public List<Long> segmentsOf(EventFilter filter) {
    return new Queries(conn).segmentsOf(filter);
  }

  /** Attack rows with their raw lines and leaf positions, in log order, at most {@code limit}. */
  public void evidence(EventFilter filter, int limit,
      java.util.function.Consumer<AttackEvent> sink) {
    new Queries(conn).evidence(filter, limit, sink);
  }

  /** The rule sets (version, sha256, paranoia) that judged the attack rows a filter selects. */
  public List<Ruleset> rulesetsOf(EventFilter filter) {
    return new Queries(conn).rulesetsOf(filter);
  }

  /** A rule set as a scan used it: which rules ran, and the score that made an attack. */
  public record Ruleset(String version, String sha256, int paranoia, int threshold) {}

  /** The attacking sources of a selection, most active first, at most {@code limit}. */
  public List<SourceSummary> sources(EventFilter filter, int limit) {
    return new Queries(conn).sources(filter, limit);
  }

  // ---------------------------------------------------------------- threat intelligence

  /** Stores imported intelligence, all or nothing; returns the rows added. */
  public int addIntel(List<org.evident.intel.IntelEntry> entries, String source) {
    try {
      conn.setAutoCommit(false);
      try (PreparedStatement ps = conn.prepareStatement(
          "INSERT INTO intel VALUES (?, ?, ?, ?, ?, ?)")) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        for (org.evident.intel.IntelEntry e : entries) {
          ps.setString(1, e.value());
          ps.setString(2, e.actor());
          ps.setString(3, e.kind());
          ps.setString(4, e.stixId());
          ps.setString(5, source);
          ps.setObject(6, now);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      conn.commit();
      conn.setAutoCommit(true);
      return entries.size();
    } catch (SQLException e) {
      try {
        conn.rollback();
        conn.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the original failure is the one to report
      }
      throw new StoreException("cannot store the intelligence: " + firstLine(e));
    }
  }

  /** All stored intelligence. */
  public List<org.evident.intel.IntelEntry> intel() {
    List<org.evident.intel.IntelEntry> out = new ArrayList<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT kind, network, actor, stix_id FROM intel")) {
      while (rs.next()) {
        out.add(new org.evident.intel.IntelEntry(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4)));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the intelligence: " + firstLine(e));
    }
    return out;
  }

  /**
   * Tags every stored attack with the actors the stored intelligence points to (by source
   * address, or by referer for domain and URL indicators); returns the attack rows tagged.
   */
  public long tagAttacks() {
    org.evident.intel.IntelMatcher m = new org.evident.intel.IntelMatcher(intel());
    if (m.isEmpty()) {
      return 0;
    }
    try (Statement st = conn.createStatement()) {
      // a scan's store appends on one DuckDB thread (openForScan); this pass reads every
      // stored attack, and takes all of the machine's
      st.execute("RESET threads");
      st.execute("CREATE OR REPLACE TABLE intel_tags (src_ip VARCHAR, referer VARCHAR,"
          + " actor VARCHAR)");
      try (ResultSet rs = st.executeQuery("SELECT DISTINCT src_ip, referer FROM attacks");
          DuckDBAppender app = ((DuckDBConnection) conn).createAppender(
              DuckDBConnection.DEFAULT_SCHEMA, "intel_tags")) {
        while (rs.next()) {
          String a = m.actors(rs.getString(1), rs.getString(2));
          if (a != null) {
            app.beginRow();
            app.append(rs.getString(1));
            app.append(rs.getString(2));
            app.append(a);
            app.endRow();
          }
        }
      }
      st.execute("UPDATE attacks SET actor = NULL WHERE actor IS NOT NULL");
      st.execute("UPDATE attacks SET actor = t.actor FROM intel_tags t WHERE attacks.src_ip ="
          + " t.src_ip AND attacks.referer IS NOT DISTINCT FROM t.referer");
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM attacks WHERE actor IS NOT NULL")) {
        rs.next();
        long n = rs.getLong(1);
        st.execute("DROP TABLE intel_tags");
        return n;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot tag attacks with intelligence: " + firstLine(e));
    }
  }

  /**
   * Attack rows a filter selects that can be disclosed: request lines committed with their raw
   * text (behavioural findings, which stand for windows of lines, are not among them).
   */
  public long count(EventFilter filter) {
    return new Queries(conn).count(filter);
  }

  /**
   * Opens a segment's leaf hashes as a tree for inclusion proofs; close it when done.
   *
   * @throws StoreException when the leaf file is gone
   */
  public SegmentTree openTree(long seq) {
    Path f = LeafFile.existing(file, seq);
    try {
      LeafFile.Reader r = new LeafFile.Reader(f);
      return new SegmentTree(new MerkleTree(r), r);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw new StoreException("the leaf hashes of segment " + seq + " are missing or unreadable ("
          + f + "); lines of that segment cannot be proven");
    }
  }

  /** A segment's tree with its leaf file open. */
  public record SegmentTree(MerkleTree tree, AutoCloseable file) implements AutoCloseable {
    @Override
    public void close() {
      try {
        file.close();
      } catch (Exception e) {
        // read-only file: nothing to lose
      }
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

  /**
   * What the database holds traffic for: each month ({@code yyyy-mm}, in order) with its sites,
   * so that a report of a month or site it does not hold can say which it does.
   */
  public java.util.SortedMap<String, List<String>> coverage() {
    java.util.SortedMap<String, List<String>> out = new java.util.TreeMap<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT DISTINCT strftime(hour, '%Y-%m') AS m, site"
            + " FROM traffic ORDER BY m, site")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("query failed: " + firstLine(e));
    }
  }

  /** The month's figures for one site, or all sites when {@code site} is null. */
  public MonthReport monthReport(String month, String site, int top) {
    EventFilter f = EventFilter.month(month, site);
    MonthReport r = new Queries(conn).month(month, site, f.since(), f.until(), top);
    List<Long> segs = segmentsOf(f);
    if (segs.isEmpty()) {
      return r;
    }
    java.util.Set<Long> wanted = new java.util.HashSet<>(segs);
    return r.withCommitments(heads().stream().filter(h -> wanted.contains(h.head().seq()))
        .toList());
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
    dropStaged(); // rows no commit followed are not kept
    try {
      for (PreparedStatement ps : prepared.values()) {
        ps.close();
      }
      if (lookups != null) {
        lookup.close();
        lookups.close();
      }
      conn.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the database: " + firstLine(e));
    }
  }

  private static final java.util.regex.Pattern LOCK_HOLDER =
      java.util.regex.Pattern.compile("Conflicting lock is held in .*?\\(PID (\\d+)\\)");

  /**
   * Why a database did not open, in a sentence. DuckDB lets one process at a time have a file
   * open for writing, and none read it meanwhile; its own message for that names a lock and a
   * web page, which a user running a report beside a scheduled scan should not have to decode.
   */
  static String openFailure(Path file, SQLException e) {
    String m = firstLine(e);
    if (m.contains("Could not set lock on file")) {
      java.util.regex.Matcher pid = LOCK_HOLDER.matcher(m);
      return "cannot open database " + file + ": another process"
          + (pid.find() ? " (PID " + pid.group(1) + ")" : "") + " is writing it, and DuckDB"
          + " lets no other open it meanwhile; try again when that one has finished";
    }
    return "cannot open database " + file + ": " + m;
  }

  static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
