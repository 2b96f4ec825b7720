package org.evident.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.evident.server.Publisher;
import org.evident.server.TaxiiConfig;
import org.evident.server.TaxiiServer;
import org.evident.store.EvidentStore;
import org.evident.store.TaxiiStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evident serve}: the TAXII 2.1 server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
        "Serves findings over TAXII 2.1 (discovery at /taxii2/): one collection per audience,"
            + " each with its own readers and writers, HTTP Basic or Bearer authentication on"
            + " every request. The configuration (docs/taxii.md) names collections, what each"
            + " publishes from the database (a STIX export of a selection, refreshed at start),"
            + " and users.",
        "",
        "Listens on loopback unless --bind says otherwise. It speaks plain HTTP: put a TLS"
            + " proxy in front before opening it to a network. Stop it with Ctrl-C."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped", "1:bad configuration, or the address is in use", "2:bad usage"})
final class ServeCommand implements Callable<Integer> {
  @Mixin
  StoreOption store;

  @Option(names = "--config", paramLabel = "FILE",
      description = "TAXII configuration (default: $XDG_CONFIG_HOME/evident/taxii.yaml, else"
          + " ~/.config/evident/taxii.yaml).")
  Path config;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String bind = "127.0.0.1";

  @Option(names = "--port", paramLabel = "N", description = "Port (default: ${DEFAULT-VALUE};"
      + " 0 picks a free one).")
  int port = 6900;

  @Option(names = "--taxii-db", paramLabel = "FILE", description = "Where shared objects are"
      + " kept (default: the database's name + .taxii).")
  Path taxiiDb;

  @Option(names = "--identity", paramLabel = "NAME",
      description = "Who publishes the exported findings (default: the configuration's title).")
  String identity;

  @Option(names = "--ready-file", paramLabel = "FILE",
      description = "Write the server's URL to FILE once it listens (for scripts).")
  Path readyFile;

  @Override
  public Integer call() throws IOException {
    Path cfgFile = config != null ? config
        : KeyOption.defaultKey().resolveSibling("taxii.yaml");
    TaxiiConfig cfg;
    try {
      cfg = TaxiiConfig.parse(Files.readString(cfgFile, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new UserException("no TAXII configuration at " + cfgFile + " (see docs/taxii.md;"
          + " name one with --config)");
    } catch (IllegalArgumentException e) {
      throw new UserException("bad TAXII configuration " + cfgFile + ": " + e.getMessage());
    }
    InetAddress addr;
    try {
      addr = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new UserException("--bind: unknown address " + bind);
    }
    Path tdb = taxiiDb != null ? taxiiDb : Path.of(store.path() + ".taxii");
    try (TaxiiStore taxii = TaxiiStore.open(tdb)) {
      if (Files.exists(store.path())) {
        try (EvidentStore db = EvidentStore.openReadOnly(store.path())) {
          Map<String, Integer> added = new Publisher(identity != null ? identity : cfg.title())
              .publish(cfg, db, taxii);
          added.forEach((alias, n) -> System.err.println(n == Publisher.NOTHING_SELECTED
              ? "evident: collection " + alias + ": no stored attack matches its publish"
                  + " selection; nothing published"
              : "evident: published " + n + " new objects to collection " + alias));
        } catch (IllegalArgumentException e) {
          throw new UserException("bad TAXII configuration " + cfgFile + ": " + e.getMessage());
        }
      }
      TaxiiServer server;
      try {
        server = new TaxiiServer(cfg, taxii, new InetSocketAddress(addr, port));
      } catch (java.net.BindException e) {
        throw new UserException("cannot listen on " + bind + ":" + port + ": "
            + e.getMessage());
      }
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook = new Thread(stop::countDown, "evident-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try (server) {
        server.start();
        String host = addr.getHostAddress().contains(":") ? "[" + addr.getHostAddress() + "]"
            : addr.getHostAddress();
        String url = "http://" + host + ":" + server.port() + "/taxii2/";
        System.out.println("TAXII 2.1 server at " + url + " (" + cfg.collections().size()
            + " collections, " + cfg.users().size() + " users); Ctrl-C stops it.");
        System.out.flush();
        if (readyFile != null) {
          // written aside and moved into place: whoever waits for the file never reads it
          // created but still empty (a test once did)
          Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
          Files.writeString(tmp, url + "\n");
          Files.move(tmp, readyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down already
        }
      }
    }
    return 0;
  }
}
