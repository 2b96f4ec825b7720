package org.evident.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.evident.intel.IntelImport;
import org.evident.json.JsonTrees;
import org.evident.report.TerminalText;
import org.evident.store.EvidentStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evident import}: threat intelligence that names who is behind attacks. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {
        "Imports threat intelligence and tags matching attacks, stored and future, with the"
            + " actor or campaign it names; reports then count attacks by actor.",
        "",
        "Reads STIX 2.1 bundles (indicators with ipv4-addr, ipv6-addr, domain-name or url"
            + " patterns; the actor is the intrusion set, threat actor or campaign an indicator"
            + " indicates) and plain lists of IP addresses and CIDRs, one per line, labelled with"
            + " --actor. Domain and URL indicators match an attack's Referer.",
        "",
        "A malformed pattern or CIDR rejects the whole import, naming the object or line;"
            + " --partial keeps the good part instead. Indicators on what web logs never hold"
            + " (file hashes, certificates) are counted and skipped."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:imported", "1:unreadable or rejected input (nothing stored)",
        "2:bad usage"})
final class ImportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PATH|URL", description = "A file, an http(s) URL, or - for"
      + " standard input.")
  String source;

  @Mixin
  StoreOption store;

  @Option(names = "--actor", paramLabel = "LABEL",
      description = "The actor a plain IP/CIDR list belongs to (needed for lists).")
  String actor;

  @Option(names = "--partial", description = "Keep the valid part of input with errors.")
  boolean partial;

  @Option(names = "--max-bytes", paramLabel = "N",
      description = "Refuse input larger than this (default: ${DEFAULT-VALUE}).")
  long maxBytes = 64L << 20;

  @Override
  public Integer call() {
    String text = read();
    IntelImport.Result r;
    String t = text.stripLeading();
    if (t.startsWith("{")) {
      JsonNode doc;
      try {
        doc = JsonTrees.read(text);
      } catch (JsonProcessingException e) {
        throw new UserException(TerminalText.safe(source + " is not valid JSON ("
            + JsonTrees.problem(e) + ")")); // the parser's reason may quote the input
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a string is read without input errors
      }
      r = IntelImport.stix(doc);
    } else {
      if (actor == null || actor.isBlank()) {
        throw new UsageException(source + " is a plain list: name its actor with --actor");
      }
      r = IntelImport.list(text, actor);
    }
    for (String e : r.errors()) {
      System.err.println("evident: " + TerminalText.safe(e));
    }
    if (!r.errors().isEmpty() && !partial) {
      throw new UserException("rejected " + source + ": " + r.errors().size()
          + " malformed entr" + (r.errors().size() == 1 ? "y" : "ies")
          + " (listed above); nothing was stored (use --partial to keep the rest)");
    }
    if (r.entries().isEmpty()) {
      throw new UserException("nothing in " + source + " that web logs can match");
    }
    long tagged;
    try (EvidentStore db = EvidentStore.open(store.path())) {
      db.addIntel(r.entries(), source);
      tagged = db.tagAttacks();
    }
    StringBuilder skipped = new StringBuilder();
    for (Map.Entry<String, Long> e : r.skipped().entrySet()) {
      skipped.append(skipped.length() == 0 ? "; skipped " : ", ").append(e.getValue())
          .append(' ').append(e.getKey());
    }
    System.out.printf(Locale.ROOT, "Imported %,d indicators from %s%s. %,d stored attack"
        + " requests now carry an actor.%n", r.entries().size(), TerminalText.safe(source),
        TerminalText.safe(skipped.toString()), tagged);
    return 0;
  }

  private String read() {
    try {
      if (source.startsWith("http://") || source.startsWith("https://")) {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> resp = c.send(HttpRequest.newBuilder(URI.create(source))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "application/taxii+json;version=2.1, application/json, */*")
            .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = resp.body()) {
          if (resp.statusCode() / 100 != 2) {
            throw new UserException("cannot fetch " + source + ": HTTP " + resp.statusCode());
          }
          return capped(in);
        }
      }
      if (source.equals("-")) {
        return capped(System.in);
      }
      try (InputStream in = Files.newInputStream(Path.of(source))) {
        return capped(in);
      }
    } catch (NoSuchFileException e) {
      throw new UserException("no file at " + source);
    } catch (IllegalArgumentException e) {
      throw new UserException("bad URL " + source + ": " + e.getMessage());
    } catch (IOException e) {
      throw new UserException("cannot read " + source + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserException("interrupted while fetching " + source);
    }
  }

  private String capped(InputStream in) throws IOException {
    byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (b.length > maxBytes) {
      throw new UserException(source + " is larger than the limit of " + maxBytes
          + " bytes (raise it with --max-bytes)");
    }
    return new String(b, StandardCharsets.UTF_8);
  }
}
