package org.evident.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A database that does not open is explained in one sentence. */
class OpenFailureTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // DuckDB 1.4's message when another process holds the file
      "IO Error: Could not set lock on file \"/d/e.duckdb\": Conflicting lock is held in"
          + " /usr/bin/java (PID 17255). See also https://duckdb.org/docs/stable/connect/concurrency"
          + "|cannot open database e.duckdb: another process (PID 17255) is writing it, and DuckDB"
          + " lets no other open it meanwhile; try again when that one has finished",
      "IO Error: Could not set lock on file \"/d/e.duckdb\": Resource temporarily unavailable"
          + "|cannot open database e.duckdb: another process is writing it, and DuckDB lets no"
          + " other open it meanwhile; try again when that one has finished",
      "IO Error: Cannot open file \"/d/e.duckdb\": Permission denied"
          + "|cannot open database e.duckdb: IO Error: Cannot open file \"/d/e.duckdb\":"
          + " Permission denied"})
  void explains(String duckdb, String said) {
    assertThat(EvidentStore.openFailure(Path.of("e.duckdb"), new SQLException(duckdb + "\nmore")))
        .isEqualTo(said);
  }
}
