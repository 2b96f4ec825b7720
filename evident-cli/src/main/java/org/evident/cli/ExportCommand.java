package org.evident.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.evident.json.JsonTrees;
import org.evident.stix.AttackClasses;
import org.evident.stix.StixExport;
import org.evident.store.EventFilter;
import org.evident.store.EvidentStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evident export}: findings in the field's sharing formats. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Exports stored findings in a sharing format.",
    subcommands = {ExportCommand.Stix.class})
final class ExportCommand implements Runnable {
  /** Without a format there is nothing to do: bad usage, as picocli's own are. */
  @Override
  public void run() {
    throw new UsageException("name what to export: stix");
  }

  /** {@code evident export stix}. */
  @Command(name = "stix", mixinStandardHelpOptions = true,
      description = {
          "Writes a STIX 2.1 bundle of the selected attacks: the reporting identity; per"
              + " attacking source its address and autonomous system, an observed-data and a"
              + " sighting; indicators for sources with enough attacks; attack patterns with"
              + " CAPEC and MITRE ATT&CK references; tools; countries; campaigns named by"
              + " imported intelligence; and a report tying them together.",
          "",
          "Ids are deterministic (UUIDv5) and times come from the data: exporting again gives"
              + " the same objects, and newer data updates them instead of adding copies."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:bundle written", "1:no database or nothing selected", "2:bad usage"})
  static final class Stix implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    Selection selection;

    @Option(names = "--identity", paramLabel = "NAME",
        description = "Who reports: your organisation or site (default: the --site, else"
            + " 'Evident user').")
    String identity;

    @Option(names = "--indicator-min", paramLabel = "N",
        description = "Attack requests a source needs to become an indicator"
            + " (default: ${DEFAULT-VALUE}).")
    int indicatorMin = 3;

    @Option(names = "--max-sources", paramLabel = "N",
        description = "At most N sources, the most active first (default: ${DEFAULT-VALUE}).")
    int maxSources = 10_000;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    public Integer call() {
      if (indicatorMin < 1 || maxSources < 1) {
        throw new UsageException("--indicator-min and --max-sources must be at least 1");
      }
      EventFilter f = selection.filter();
      String who = identity != null ? identity : f.site() != null ? f.site() : "Evident user";
      try (EvidentStore db = EvidentStore.openReadOnly(store.path())) {
        var sources = db.sources(f, maxSources);
        if (sources.isEmpty()) { // a bundle of nothing would be shared as if it said something
          throw new UserException("nothing to export: no stored attack matches the selection");
        }
        ObjectNode bundle = new StixExport(AttackClasses.builtIn(),
            new StixExport.Options(who, indicatorMin)).bundle(f, sources);
        try (Writer w = Output.open(output, System.out)) {
          w.write(JsonTrees.writePretty(bundle));
          w.write('\n');
        } catch (IOException e) {
          throw new UserException("cannot write the bundle: " + e.getMessage());
        }
      }
      return 0;
    }
  }
}
