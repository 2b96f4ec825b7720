package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The launcher's count of the CPUs a scan may use (its {@code cpu_count}), which decides the
 * JIT's compiler threads (jvm.options): the affinity list, capped by a container's CPU quota.
 */
class LauncherCpuCountTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // affinity list | cgroup v2 cpu.max | v1 quota | v1 period | CPUs
      "0-1              | -                 | -        | -         | 2",
      "0                | -                 | -        | -         | 1",
      "0-3,8,10-11      | max 100000        | -        | -         | 7",
      "0-63             | 200000 100000     | -        | -         | 2",
      "0-63             | 150000 100000     | -        | -         | 2",
      "0-1              | 800000 100000     | -        | -         | 2",
      "0-63             | -                 | 50000    | 100000    | 1",
      "0-63             | -                 | -1       | 100000    | 64",
      "-                | 300000 100000     | -        | -         | 3",
      "-                | -                 | -        | -         | 0",
  })
  void countsTheCpusAProcessMayUse(String allowed, String cpuMax, String quota, String period,
      int expected) throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(status, "Name:\tbash\n" + (allowed == null ? ""
        : "Cpus_allowed_list:\t" + allowed + "\n") + "Mems_allowed_list:\t0\n");
    Path root = Files.createDirectories(dir.resolve("cgroup"));
    if (cpuMax != null) {
      Files.writeString(root.resolve("cpu.max"), cpuMax + "\n");
    }
    if (quota != null) {
      Path v1 = Files.createDirectories(root.resolve("cpu"));
      Files.writeString(v1.resolve("cpu.cfs_quota_us"), quota + "\n");
      Files.writeString(v1.resolve("cpu.cfs_period_us"), period + "\n");
    }
    Process p = new ProcessBuilder("bash", "-c", ". ../evident && cpu_count \"$1\" \"$2\""
        + " && echo \"$cpus\"", "test", status.toString(), root.toString())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.strip()).isEqualTo(String.valueOf(expected));
  }
}
