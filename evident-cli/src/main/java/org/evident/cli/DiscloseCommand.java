package org.evident.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.evident.evidence.SiteKey;
import org.evident.store.EventFilter;
import org.evident.store.EvidentStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evident disclose}: the attack lines behind a figure, each with its proof. */
@Command(name = "disclose", mixinStandardHelpOptions = true,
    description = {
        "Writes an evidence bundle (docs/evidence.md) with the attack lines a selection holds,"
            + " exactly as they were logged, each with its inclusion proof in the committed"
            + " segment, the signed chain of tree heads and the rules that fired. Nothing of the"
            + " benign traffic is disclosed: proofs carry hashes only.",
        "",
        "The recipient checks it with 'evident verify BUNDLE --pubkey site.pub', which also"
            + " judges every line again with the same rules.",
        "",
        "Example: evident disclose --month 2013-02 --country US --limit 1000 -o us-feb.json"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:bundle written", "1:no database, no matching lines, or no key",
        "2:bad usage"})
final class DiscloseCommand implements Callable<Integer> {
  @Mixin
  StoreOption store;

  @Mixin
  KeyOption key;

  @Mixin
  Selection selection;

  @Option(names = "--limit", paramLabel = "N",
      description = "At most N lines, the first in log order (default: ${DEFAULT-VALUE}).")
  int limit = 100_000;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() throws IOException {
    if (limit < 1) {
      throw new UsageException("--limit must be at least 1");
    }
    EventFilter filter = selection.filter();
    SiteKey signer = key.load();
    try (EvidentStore db = EvidentStore.openReadOnly(store.path())) {
      if (db.count(filter) == 0) {
        throw new UserException("no stored attack lines match this selection");
      }
      long[] n;
      if (output == null) {
        n = Evidence.writeDisclosure(db, filter, limit, signer,
            RuleSources.load(List.of("evident")), System.out);
        System.out.flush();
      } else {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output))) {
          n = Evidence.writeDisclosure(db, filter, limit, signer,
              RuleSources.load(List.of("evident")), out);
        } catch (java.nio.file.NoSuchFileException e) {
          throw new UserException("cannot write " + output + ": its folder does not exist");
        }
      }
      System.err.printf(Locale.ROOT, "evident: disclosed %,d of %,d matching attack lines%s%n",
          n[1], n[0], output == null ? "" : " in " + output);
    }
    return 0;
  }
}
