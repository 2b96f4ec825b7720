package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a short scan (a cron job's) never starts once its caches are warm: the YAML parser (80 ms
 * on a cold JVM; the rule trees come from RuleTreeCache) and Jackson's ObjectMapper, whose first
 * use costs a cold process 80-120 ms of CPU (BENCHMARKS.md, twenty-ninth build; JSON goes
 * through {@code JsonTrees}). The first scan, which parses the YAML rule files, shows that the
 * check sees both when they are there.
 */
class ColdStartTest {
  private static final String MAPPER = "'com/fasterxml/jackson/databind/ObjectMapper'";
  private static final String YAML = "'org/yaml/snakeyaml/";

  @Test
  void aScanWithItsCachesWarmStartsNoObjectMapper(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("access.log");
    Files.writeString(log, "203.0.113.9 - - [10/Feb/2013:10:00:00 +0000] \"GET /?id=1%27+or+1=1--"
        + " HTTP/1.1\" 200 5 \"-\" \"sqlmap/1.7\"\n"
        + "198.51.100.4 - - [10/Feb/2013:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n");
    String first = initialised(dir, log, "first");
    assertThat(first).as("the YAML rule files parsed on a cold cache").contains(MAPPER, YAML);
    Files.delete(dir.resolve("first.duckdb"));
    String second = initialised(dir, log, "second");
    assertThat(second).contains("org/evident/cli/ScanCommand").doesNotContain(MAPPER)
        .as("no YAML parsed: the rule trees came from the cache").doesNotContain(YAML);
  }

  /** The classes a scan of {@code log} initialised, run as its own process. */
  private static String initialised(Path dir, Path log, String name) throws Exception {
    Path classes = dir.resolve(name + ".txt");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+init=info:file=" + classes,
        "-cp", System.getProperty("java.class.path"), "org.evident.cli.Main",
        "scan", "-q", "--no-geo", "--db", dir.resolve(name + ".duckdb").toString(),
        log.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".out").toFile());
    pb.environment().put("EVIDENT_CACHE", dir.resolve("cache").toString());
    int code = pb.start().waitFor();
    assertThat(code).as(Files.readString(dir.resolve(name + ".out"))).isZero();
    return Files.readString(classes);
  }
}
