package org.evident.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --db} option every command shares. */
final class StoreOption {
  @Option(names = "--db", paramLabel = "FILE",
      description = "Database file (default: $EVIDENT_DB, else evident.duckdb here).")
  Path db;

  Path path() {
    if (db != null) {
      return db;
    }
    String env = System.getenv("EVIDENT_DB");
    return Path.of(env != null && !env.isBlank() ? env : "evident.duckdb");
  }
}
