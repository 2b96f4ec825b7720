package org.evident.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects a TAXII server shares, per collection and version, in their own DuckDB file so a
 * running server never holds the scan database's write lock. Every object version is kept with
 * the time it was added, which is what TAXII's added_after and pagination work on.
 */
public final class TaxiiStore implements AutoCloseable {
  /**
   * One stored object version.
   *
   * @param id the STIX id
   * @param version its modified (or created) time, or the time added for objects without either
   * @param dateAdded when this server added it, microsecond precision
   * @param json the object itself
   */
  public record Entry(String id, String version, Instant dateAdded, String json) {}

  /** Which entries a request asks for; null fields do not filter. */
  public record Query(Instant addedAfter, List<String> ids, List<String> types, int offset,
      int limit) {}

  private final Connection conn;
  private Instant lastAdded = Instant.EPOCH;

  private TaxiiStore(Connection conn) {
    this.conn = conn;
  }

  public static TaxiiStore open(Path file) {
    try {
      Connection c = EvidentStore.connect(file, new java.util.Properties());
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS taxii_objects (collection VARCHAR, id VARCHAR,"
            + " type VARCHAR, version VARCHAR, date_added TIMESTAMP, json VARCHAR,"
            + " PRIMARY KEY (collection, id, version))");
      }
      return new TaxiiStore(c);
    } catch (SQLException e) {
      throw new StoreException("cannot open the TAXII database " + file + ": "
          + EvidentStore.firstLine(e));
    }
  }

  /**
   * Adds object versions to a collection; a version already there is left as it was.
   *
   * @return how many were new
   */
  public synchronized int add(String collection, List<Entry> entries) {
    int added = 0;
    try (PreparedStatement ps = conn.prepareStatement("INSERT INTO taxii_objects VALUES"
        + " (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        PreparedStatement known = conn.prepareStatement(
            "SELECT 1 FROM taxii_objects WHERE collection = ? AND id = ?")) {
      for (Entry e : entries) {
        if (e.version() == null) {
          // an object without modified/created (an observable): its id says all it is
          known.setString(1, collection);
          known.setString(2, e.id());
          try (ResultSet rs = known.executeQuery()) {
            if (rs.next()) {
              continue;
            }
          }
        }
        Instant now = nextTime();
        ps.setString(1, collection);
        ps.setString(2, e.id());
        ps.setString(3, e.id().substring(0, Math.max(0, e.id().indexOf("--"))));
        ps.setString(4, e.version() != null ? e.version() : now.toString());
        ps.setObject(5, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
        ps.setString(6, e.json());
        added += ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store TAXII objects: " + EvidentStore.firstLine(e));
    }
    return added;
  }

  /** Strictly increasing add times, so no two versions share a date_added. */
  private Instant nextTime() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    if (!now.isAfter(lastAdded)) {
      now = lastAdded.plus(1, ChronoUnit.MICROS);
    }
    lastAdded = now;
    return now;
  }

  /**
   * Object versions of a collection in the order they were added, one more than asked so the
   * caller knows whether there are more.
   *
   * @param latestOnly only each object's newest version
   */
  public synchronized List<Entry> find(String collection, Query q, boolean latestOnly) {
    StringBuilder sql = new StringBuilder("SELECT id, version, date_added, json FROM"
        + " taxii_objects o WHERE collection = ?");
    List<Object> args = new ArrayList<>();
    args.add(collection);
    if (q.addedAfter() != null) {
      sql.append(" AND date_added > ?");
      args.add(LocalDateTime.ofInstant(q.addedAfter(), ZoneOffset.UTC));
    }
    in(sql, args, "id", q.ids());
    in(sql, args, "type", q.types());
    if (latestOnly) {
      sql.append(" AND version = (SELECT max(version) FROM taxii_objects p WHERE"
          + " p.collection = o.collection AND p.id = o.id)");
    }
    sql.append(" ORDER BY date_added, id, version LIMIT ? OFFSET ?");
    args.add(q.limit() + 1);
    args.add(q.offset());
    List<Entry> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Entry(rs.getString(1), rs.getString(2),
              rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getString(4)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read TAXII objects: " + EvidentStore.firstLine(e));
    }
    return out;
  }

  private static void in(StringBuilder sql, List<Object> args, String column,
      List<String> values) {
    if (values == null || values.isEmpty()) {
      return;
    }
    sql.append(" AND ").append(column).append(" IN (");
    for (int i = 0; i < values.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
      args.add(values.get(i));
    }
    sql.append(')');
  }

  @Override
  public synchronized void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the TAXII database: " + EvidentStore.firstLine(e));
    }
  }
}
