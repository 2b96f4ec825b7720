package org.evident.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.evident.cli.geo.GeoDatabases;

/**
 * Benign requests built from real-world data that was not written for Evident's rules (see
 * docs/benign-corpus.md): the pages, links, index and titles of a real documentation site
 * (Debian's python3.11-doc), real sentences typed into a search box (Debian's fortunes), French
 * and German words (wfrench, wngerman), real browser and crawler user agents (npm user-agents,
 * crawler-user-agents). Where real traffic carries machine-made values (analytics beacons, OAuth
 * codes, JWTs, JSON preferences, click ids), their formats are those of the real services and
 * their content comes from the same data or from random bytes. The crawler list's security
 * scanners are set apart ({@link #SCANNERS}). Deterministic for a seed.
 * The sources are fetched by bench/benign-fetch.sh. (The regexes here read trusted HTML from a
 * Debian package, never attacker input.)
 */
final class BenignCorpus {
  /** One request of the corpus: what kind of traffic it stands for, and its combined log line. */
  record Entry(String category, String line) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
  private static final Pattern HREF = Pattern.compile("href=\"([^\"]+)\"");
  private static final Pattern INDEX_ENTRY = Pattern.compile("<a href=\"[^\"]*\">([^<]+)</a>");
  private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>");
  private static final String DOCS = "usr/share/doc/python3.11/html";

  private final Path root;
  private final Random random;
  private final List<String> browserAgents = new ArrayList<>();
  private final List<Double> browserWeights = new ArrayList<>();
  private final List<JsonNode> browserEntries = new ArrayList<>();
  private final List<String> crawlerAgents = new ArrayList<>();
  private final List<String> scannerAgents = new ArrayList<>();
  private final List<String> pages = new ArrayList<>();
  private final List<String> titles = new ArrayList<>();
  private final List<String[]> links = new ArrayList<>(); // {from page, target}
  private final List<String> outbound = new ArrayList<>();
  private final List<String> indexTerms = new ArrayList<>();
  private final List<String> sentences = new ArrayList<>();
  private final List<String> frenchWords;
  private final List<String> germanWords;
  private final List<Entry> out = new ArrayList<>();
  /** Which searches' results are clicked, and which page: a stream of its own. */
  private final Random clickRandom;
  /** Addresses and browsers come from a stream of their own (see {@link Visitors}). */
  private final Random visitorRandom;
  private final Visitors docsVisitors;
  private final Visitors shopVisitors;
  /** Whose requests the lines being added are: {@code null} for one-off visitors. */
  private Visitors visitors;
  private long clock = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
  private double weightTotal;

  /** The folder bench/benign-fetch.sh unpacks into by default. */
  static Path defaultRoot() {
    return GeoDatabases.defaultCache().resolve("benign").resolve("x");
  }

  static boolean available(Path root) {
    return Files.isRegularFile(root.resolve("user-agents/package/dist/user-agents.json"))
        && Files.isDirectory(root.resolve("deb").resolve(DOCS))
        && Files.isDirectory(root.resolve("deb/usr/share/games/fortunes"));
  }

  private BenignCorpus(Path root, long seed) throws IOException {
    this.root = root;
    this.random = new Random(seed);
    this.clickRandom = new Random(seed * 31 + 11);
    this.visitorRandom = new Random(seed * 31 + 7);
    this.docsVisitors = new Visitors(visitorRandom);
    this.shopVisitors = new Visitors(visitorRandom);
    for (JsonNode n : JSON.readTree(root.resolve("user-agents/package/dist/user-agents.json")
        .toFile())) {
      browserAgents.add(n.path("userAgent").asText());
      browserWeights.add(n.path("weight").asDouble());
      weightTotal += n.path("weight").asDouble();
      ObjectNode e = ((ObjectNode) n).deepCopy();
      e.remove("weight");
      browserEntries.add(e);
    }
    List<String> scanners = scannerNames();
    for (JsonNode n : JSON.readTree(root.resolve(
        "crawler-user-agents/package/crawler-user-agents.json").toFile())) {
      n.path("instances").forEach(i -> {
        String ua = i.asText();
        String lower = ua.toLowerCase(Locale.ROOT);
        (scanners.stream().anyMatch(lower::contains) ? scannerAgents : crawlerAgents).add(ua);
      });
    }
    readDocs(root.resolve("deb").resolve(DOCS));
    readFortunes(root.resolve("deb/usr/share/games/fortunes"));
    frenchWords = words(root.resolve("deb/usr/share/dict/french"));
    germanWords = words(root.resolve("deb/usr/share/dict/ngerman"));
  }

  /** Builds the corpus: every category, in a fixed order, each line a combined-format request. */
  static List<Entry> build(Path root, long seed) throws IOException {
    BenignCorpus c = new BenignCorpus(root, seed);
    c.all();
    return c.out;
  }

  /** What was read, for the report. */
  static String sources(Path root) throws IOException {
    Path debs = root.resolve(".debs");
    return Files.exists(debs) ? String.join(", ", Files.readAllLines(debs)).replace("./", "")
        : "(package list not recorded)";
  }

  private void all() {
    Set<String> seen = new LinkedHashSet<>();
    // 1. browsing the documentation site: a click from one page to a linked one
    visitors = docsVisitors;
    for (String[] l : sample(links, 15_000)) {
      add("docs pages", l[1], "https://docs.python.org" + l[0], seen);
    }
    // 2. the site's search, for the terms of its own index
    for (String t : indexTerms) {
      search("docs search", "https://docs.python.org", "/3/search.html?q=" + form(t)
          + "&check_keywords=yes&area=default", docsReferer(), seen);
    }
    // 3. real links of other sites, as their servers would log them: a visitor each
    visitors = null;
    for (String u : outbound) {
      add("outbound links", u, docsReferer(), seen);
    }
    // 4. sentences typed into a shop's search box
    visitors = shopVisitors;
    for (String s : sentences) {
      search("search sentences", SHOP, "/search?q=" + form(s) + "&page=1",
          "https://shop.example/", seen);
    }
    // 5. French and German searches (UTF-8, percent-encoded as browsers send them)
    for (int i = 0; i < 3_000; i++) {
      search("search fr/de", SHOP, "/recherche?q=" + form(pick(frenchWords) + " "
          + pick(frenchWords)), "https://shop.example/fr/", seen);
      search("search fr/de", SHOP, "/suche?q=" + form(pick(germanWords) + " "
          + pick(germanWords) + " " + pick(germanWords)), "https://shop.example/de/", seen);
    }
    // 6. analytics beacons (GA4 collect): page URL, referrer and title of real pages
    visitors = docsVisitors;
    for (int i = 0; i < 5_000; i++) {
      int p = random.nextInt(pages.size());
      JsonNode b = browserEntries.get(random.nextInt(browserEntries.size()));
      String target = "/g/collect?v=2&tid=G-" + upperAlnum(10) + "&gtm=45je4" + digits(3)
          + "v9" + digits(9) + "&_p=" + digits(13) + "&cid=" + digits(10) + "." + clock
          + "&ul=" + form(b.path("language").asText("en-us").toLowerCase(Locale.ROOT))
          + "&sr=" + b.path("screenWidth").asInt() + "x" + b.path("screenHeight").asInt()
          + "&_s=1&sid=" + clock + "&sct=" + (1 + random.nextInt(9)) + "&seg=1&dl="
          + form("https://docs.python.org" + pages.get(p)) + "&dr="
          + form(docsReferer()) + "&dt=" + form(titles.get(p)) + "&en=page_view&tfd="
          + digits(4);
      add("analytics beacons", target, "https://docs.python.org" + pages.get(p), seen);
    }
    // 7. JSON in query strings: client preferences, plain and as base64url state
    visitors = shopVisitors;
    for (int i = 0; i < 3_000; i++) {
      JsonNode b = browserEntries.get(random.nextInt(browserEntries.size()));
      add("json in query", "/api/v1/session?prefs=" + form(b.toString()),
          "https://shop.example/account", seen);
      if (i % 2 == 0) {
        ObjectNode state = JSON.createObjectNode();
        state.put("returnTo", pages.get(random.nextInt(pages.size())));
        state.put("nonce", b64(16));
        state.put("viewport", b.path("viewportWidth").asInt() + "x"
            + b.path("viewportHeight").asInt());
        add("json in query", "/oauth/callback?code=" + b64(32) + "&state="
            + b64url(state.toString()), "https://accounts.example/", seen);
      }
    }
    // 8. tokens and tracking: JWTs, click ids, UTM campaigns named in real words
    for (int i = 0; i < 4_000; i++) {
      String page = pages.get(random.nextInt(pages.size()));
      visitors = i % 4 == 0 ? shopVisitors : docsVisitors; // an account, or a landing page
      switch (i % 4) {
        case 0 -> {
          ObjectNode claims = JSON.createObjectNode();
          claims.put("sub", java.util.UUID.nameUUIDFromBytes(digits(8).getBytes(
              StandardCharsets.US_ASCII)).toString());
          claims.put("name", pick(frenchWords));
          claims.put("iat", clock);
          claims.put("exp", clock + 3600);
          add("tokens and tracking", "/account/verify?token="
              + b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64url(claims.toString())
              + "." + b64(32), null, seen);
        }
        case 1 -> add("tokens and tracking", page + "?fbclid=IwAR" + b64(44)
            + "&utm_source=facebook&utm_medium=social", "https://l.facebook.com/", seen);
        case 2 -> add("tokens and tracking", page + "?gclid=Cj0KCQjw" + b64(80) + "_BwE",
            "https://www.google.com/", seen);
        default -> {
          String words = slug(sentences.get(random.nextInt(sentences.size())));
          add("tokens and tracking", page + "?utm_source=newsletter&utm_medium=email"
              + "&utm_campaign=" + form(words) + "&utm_content=" + form(titles.get(
                  random.nextInt(titles.size()))), null, seen);
        }
      }
    }
    // 9. every real browser and crawler agent once, on the home page, a visitor each
    visitors = null;
    for (String ua : new TreeSet<>(browserAgents)) {
      out.add(new Entry("browser agents", line("/", "-", ua)));
    }
    for (String ua : new TreeSet<>(crawlerAgents)) {
      out.add(new Entry("crawler agents", line("/robots.txt", "-", ua)));
    }
    for (String ua : new TreeSet<>(scannerAgents)) {
      out.add(new Entry(SCANNERS, line("/robots.txt", "-", ua)));
    }
    // 10. a click on a result of one search in two: the page clicked, with the search's URL as
    // its Referer, as browsers send it within a site (added last, in the thirty-eighth build,
    // so that every request before is the corpus's as it was)
    Random clicks = clickRandom;
    for (String[] s : searches) {
      if (clicks.nextBoolean()) {
        boolean docs = !s[0].equals(SHOP);
        visitors = docs ? docsVisitors : shopVisitors;
        String page = docs ? pages.get(clicks.nextInt(pages.size()))
            : "/product/" + (10_000 + clicks.nextInt(90_000));
        out.add(new Entry("search result clicks", line(page, s[0] + s[1], agent())));
      }
    }
  }

  private static final String SHOP = "https://shop.example";
  /** The searches made, as {site, target}: the Referers of the clicks on their results. */
  private final List<String[]> searches = new ArrayList<>();

  private void search(String category, String site, String target, String referer,
      Set<String> seen) {
    int before = out.size();
    add(category, target, referer, seen);
    if (out.size() > before) {
      searches.add(new String[] {site, target});
    }
  }

  /**
   * The category of the crawler list's security scanners (WPScan, Nikto, Detectify, LeakIX...):
   * not benign, so not counted as false positives; what they are is decided by lists Evident did
   * not write (CRS's scanners-user-agents.data and the issue's list of attack tools).
   */
  static final String SCANNERS = "scanner agents (not benign)";

  private static List<String> scannerNames() throws IOException {
    List<String> names = new ArrayList<>(List.of("sqlmap", "nikto", "nmap", "wapiti", "dirb",
        "gobuster", "wfuzz", "ffuf", "feroxbuster", "hydra", "masscan", "zgrab", "nuclei",
        "wpscan", "acunetix", "burp", "openvas", "metasploit"));
    for (String l : Files.readAllLines(Path.of("../../shared/crs/rules/scanners-user-agents.data"))) {
      String t = l.strip().toLowerCase(Locale.ROOT);
      if (!t.isEmpty() && !t.startsWith("#")) {
        names.add(t);
      }
    }
    return names;
  }

  private void add(String category, String target, String referer, Set<String> seen) {
    if (target == null || target.isEmpty() || !seen.add(target)) {
      return;
    }
    out.add(new Entry(category, line(target, referer == null ? "-" : referer, agent())));
  }

  private String line(String target, String referer, String agent) {
    clock += random.nextInt(3);
    // drawn whether used or not, so that the requests are those of a corpus without visitors
    String ip = address(random);
    String ua = agent;
    if (visitors != null) {
      Visitors.Visitor v = visitors.next(agent);
      ip = v.ip;
      ua = v.agent;
    }
    return ip + " - - [" + CLF.format(Instant.ofEpochSecond(clock).atOffset(ZoneOffset.UTC))
        + "] \"GET " + target + " HTTP/1.1\" 200 " + (200 + random.nextInt(90_000)) + " \""
        + quoted(referer) + "\" \"" + quoted(ua) + "\"";
  }

  private static String address(Random random) {
    return (11 + random.nextInt(180)) + "." + random.nextInt(256) + "." + random.nextInt(256)
        + "." + (1 + random.nextInt(254));
  }

  /**
   * The visitors of one site. A log's addresses are people browsing: each request comes from one
   * of the visitors on the site at the time, and each visitor makes a few requests from one
   * address with one browser, then leaves. How many is drawn from a geometric distribution of
   * mean 5 (a visit of two or three pages, each with its beacon), chosen before any figure was
   * measured with it; twenty visitors browse at once. Addresses come from a random stream of
   * their own and a visitor keeps the agent of its first request, so the requests themselves
   * are those of a corpus in which every request had an address of its own.
   */
  private static final class Visitors {
    static final int CONCURRENT = 20;
    static final double MEAN_REQUESTS = 5;

    static final class Visitor {
      final String ip;
      final String agent;
      int left;

      Visitor(String ip, String agent, int left) {
        this.ip = ip;
        this.agent = agent;
        this.left = left;
      }
    }

    private final Random random;
    private final Visitor[] browsing = new Visitor[CONCURRENT];

    Visitors(Random random) {
      this.random = random;
    }

    /** The visitor a request comes from; a newcomer takes the agent drawn for it. */
    Visitor next(String agent) {
      int k = random.nextInt(CONCURRENT);
      if (browsing[k] == null || browsing[k].left == 0) {
        int n = 1;
        while (random.nextDouble() >= 1 / MEAN_REQUESTS) {
          n++;
        }
        browsing[k] = new Visitor(address(random), agent, n);
      }
      browsing[k].left--;
      return browsing[k];
    }
  }

  /** As Apache writes a header into a quoted log field: quote and backslash escaped. */
  private static String quoted(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** A user agent as traffic has them: nine in ten browsers by share, one in ten crawlers. */
  private String agent() {
    if (random.nextInt(10) == 0) {
      return pick(crawlerAgents);
    }
    double r = random.nextDouble() * weightTotal;
    for (int i = 0; i < browserAgents.size(); i++) {
      r -= browserWeights.get(i);
      if (r <= 0) {
        return browserAgents.get(i);
      }
    }
    return browserAgents.get(browserAgents.size() - 1);
  }

  private String docsReferer() {
    return "https://docs.python.org" + pages.get(random.nextInt(pages.size()));
  }

  private void readDocs(Path docs) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(docs)) {
      files = s.filter(p -> p.toString().endsWith(".html")).sorted().toList();
    }
    Set<String> out = new LinkedHashSet<>();
    Set<String> terms = new LinkedHashSet<>();
    for (Path f : files) {
      String rel = docs.relativize(f).toString().replace('\\', '/');
      String page = "/3/" + rel;
      String html = Files.readString(f, StandardCharsets.UTF_8);
      Matcher t = TITLE.matcher(html);
      pages.add(page);
      titles.add(t.find() ? unescape(t.group(1)) : rel);
      URI base = URI.create("https://docs.python.org" + page);
      Matcher m = HREF.matcher(html);
      while (m.find()) {
        String href = unescape(m.group(1));
        if (href.startsWith("mailto:") || href.startsWith("#") || href.startsWith("javascript")) {
          continue;
        }
        try {
          URI u = href.startsWith("http") ? new URI(href) : base.resolve(new URI(href));
          String target = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/"
              : u.getRawPath();
          if (u.getRawQuery() != null) {
            target += "?" + u.getRawQuery();
          }
          if ("docs.python.org".equals(u.getHost())) {
            links.add(new String[] {page, target});
          } else if (u.getHost() != null) {
            out.add(target);
          }
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
          // a malformed link in the docs: not a request anyone could send as written
        }
      }
      if (rel.equals("genindex-all.html")) {
        Matcher e = INDEX_ENTRY.matcher(html);
        while (e.find()) {
          String term = unescape(e.group(1)).strip();
          if (!term.isEmpty()) {
            terms.add(term);
          }
        }
      }
    }
    outbound.addAll(out);
    indexTerms.addAll(terms);
  }

  /** The first line of every fortune (up to 120 characters): what a person might search for. */
  private void readFortunes(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> !p.toString().endsWith(".dat") && !p.toString().endsWith(".u8")
          && Files.isRegularFile(p)).sorted().toList();
    }
    Set<String> seen = new LinkedHashSet<>();
    for (Path f : files) {
      for (String fortune : Files.readString(f, StandardCharsets.ISO_8859_1).split("\n%\n")) {
        String first = fortune.strip().split("\n", 2)[0].strip().replaceAll("\\s+", " ");
        if (first.length() > 120) {
          first = first.substring(0, 120);
        }
        if (first.length() >= 3) {
          seen.add(first);
        }
      }
    }
    sentences.addAll(seen);
  }

  private static List<String> words(Path dict) throws IOException {
    return Files.readAllLines(dict, StandardCharsets.UTF_8).stream()
        .filter(w -> !w.isBlank()).toList();
  }

  private <T> List<T> sample(List<T> all, int n) {
    List<T> copy = new ArrayList<>(all);
    java.util.Collections.shuffle(copy, random);
    return copy.subList(0, Math.min(n, copy.size()));
  }

  private <T> T pick(List<T> l) {
    return l.get(random.nextInt(l.size()));
  }

  private static String form(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String slug(String s) {
    String w = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return w.length() > 40 ? w.substring(0, 40) : w;
  }

  private String digits(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    return b.toString();
  }

  private String upperAlnum(int n) {
    String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(a.charAt(random.nextInt(a.length())));
    }
    return b.toString();
  }

  /** Random bytes, base64url without padding, as OAuth codes and click ids are. */
  private String b64(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String b64url(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The few entities Sphinx writes, decoded strictly. Not the detector's htmlEntityDecode: that
   * one decodes as browsers forgive (entities without ';'), which would change real URLs such as
   * {@code ?a=1&lang=en}.
   */
  private static String unescape(String s) {
    return s.replace("&#8212;", "\u2014").replace("&#8217;", "\u2019").replace("&#39;", "'")
        .replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
