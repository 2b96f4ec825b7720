package org.evident.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.evident.cli.scan.Progress;
import org.evident.cli.scan.ScanJob;
import org.evident.cli.scan.ServedSites;
import org.evident.cli.source.FileSource;
import org.evident.detect.Detector;
import org.evident.geo.Locator;
import org.evident.net.TrustedProxies;
import org.evident.store.EvidentStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a scan stopped by Ctrl-C or a signal says (its shutdown hook calls
 * {@link ScanJob#interrupted()}): where the store stands, so the user knows the next scan goes
 * on from there.
 */
class InterruptedScanTest {
  @TempDir
  Path dir;

  @Test
  void saysWhatIsStoredBeforeAndAfterACommit() throws Exception {
    Path log = dir.resolve("access.log");
    Files.writeString(log, BadInputTest.GOOD + BadInputTest.BENIGN);
    try (EvidentStore store = EvidentStore.openForScan(dir.resolve("t.duckdb"))) {
      Detector detector = new Detector(RuleSources.load(List.of("evident")));
      ScanJob.Options options = new ScanJob.Options(null, null, ServedSites.ANY, TrustedProxies.NONE, 1 << 20, 1,
          null, null, null);
      Progress quiet = new Progress(new PrintStream(new ByteArrayOutputStream(), true,
          StandardCharsets.UTF_8), false);
      ScanJob before = new ScanJob(store, detector, Locator.SCOPES_ONLY, options, quiet);
      assertThat(before.interrupted()).isEqualTo("interrupted before anything was committed;"
          + " scanning again starts over");

      ScanJob job = new ScanJob(store, detector, Locator.SCOPES_ONLY, options, quiet);
      job.run(List.of(new FileSource(log, log.toString())));
      assertThat(job.interrupted()).isEqualTo("interrupted; stored up to the last commit ("
          + log + " up to line 2); scanning again goes on from there");
    }
  }
}
