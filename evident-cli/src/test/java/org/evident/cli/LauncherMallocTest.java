package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The glibc malloc tunables the launcher gives java (its {@code malloc_tunables}): added to
 * what the caller's GLIBC_TUNABLES holds, and never over a malloc tunable the caller set.
 */
class LauncherMallocTest {
  private static final String OURS =
      "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=536870912";

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // the caller's GLIBC_TUNABLES ("-": unset) | what java is given ("+": ours)
      "-                                 | +",
      "''                                | +",
      "glibc.pthread.rseq=0              | glibc.pthread.rseq=0:+",
      "glibc.malloc.arena_max=2          | glibc.malloc.arena_max=2",
      "glibc.cpu.x86_rep_movsb_threshold=4096:glibc.malloc.tcache_count=0"
          + " | glibc.cpu.x86_rep_movsb_threshold=4096:glibc.malloc.tcache_count=0",
  })
  void addsItsOwnUnlessTheCallerTunesMalloc(String given, String expected) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c",
        ". ../evident && malloc_tunables && printf '%s' \"$GLIBC_TUNABLES\"");
    pb.environment().remove("GLIBC_TUNABLES");
    if (given != null) {
      pb.environment().put("GLIBC_TUNABLES", given);
    }
    Process p = pb.redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).isEqualTo(expected.replace("+", OURS));
  }
}
