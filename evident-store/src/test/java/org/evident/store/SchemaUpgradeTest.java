package org.evident.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database an older Evident wrote is upgraded in place when opened: its rows keep what they
 * held, and the fields added since read as null.
 */
class SchemaUpgradeTest {
  @TempDir
  Path dir;

  @Test
  void aSchema5DatabaseGainsMatchedInAndKeepsItsRows() throws Exception {
    Path file = dir.resolve("old.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)");
      st.execute("INSERT INTO meta VALUES ('schema', '5')");
      // the attacks table as schema 5 left it: its first columns, then those added later
      st.execute("CREATE TABLE attacks (ts TIMESTAMP NOT NULL, site VARCHAR, src_ip VARCHAR,"
          + " ip_scope VARCHAR, country VARCHAR, asn BIGINT, as_org VARCHAR, class VARCHAR,"
          + " rule_ids VARCHAR, severity VARCHAR, score INTEGER, tool VARCHAR, method VARCHAR,"
          + " target VARCHAR, status INTEGER, user_agent VARCHAR, referer VARCHAR,"
          + " matched VARCHAR, source_file VARCHAR, line_no BIGINT, byte_offset BIGINT,"
          + " line_sha256 VARCHAR, scan_id BIGINT, source_id BIGINT, segment BIGINT,"
          + " leaf_index BIGINT, raw_line VARCHAR, actor VARCHAR)");
      st.execute("INSERT INTO attacks (ts, site, src_ip, class, rule_ids, score, method, target,"
          + " status, matched, source_file, line_no, byte_offset) VALUES (TIMESTAMP"
          + " '2013-02-01 00:00:00', 'shop.example', '203.0.113.7', 'sqli', 'EV-942100', 5,"
          + " 'GET', '/?id=1''--', 200, '1''--', 'access.log', 1, 0)");
    }
    try (EvidentStore store = EvidentStore.openReadOnly(file)) {
      List<AttackEvent> events = new ArrayList<>();
      store.events(EventFilter.ALL, events::add);
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.matched()).isEqualTo("1'--");
        assertThat(e.matchedIn()).isNull();
      });
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(String.valueOf(EvidentStore.SCHEMA_VERSION));
    }
  }
}
