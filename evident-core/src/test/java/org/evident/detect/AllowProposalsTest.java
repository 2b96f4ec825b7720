package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.evident.log.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link AllowProposals}: which entries the evidence of a judged log supports, and which not. */
class AllowProposalsTest {
  /**
   * Two rules of one family, one of another, one without a family, a tool agent rule, a rule
   * that reads the path.
   */
  private static final String DETECTOR_YAML = """
      pack: t
      version: "1"
      defaults: {severity: critical, targets: [args], transforms: [urlDecodeUni, lowercase]}
      rules:
        - {id: T-1, class: cmdi, rx: '\\bgzip\\b[ -~]{0,9}', tags: [attack-rce]}
        - {id: T-2, class: cmdi, rx: '\\bgrep\\b[ -~]{0,9}', tags: [attack-rce]}
        - {id: T-3, class: sqli, rx: 'union select', tags: [attack-sqli]}
        - {id: T-4, class: sqli, rx: 'sleep\\([ -~]{0,9}', tags: [capec/66]}
        - {id: T-5, class: scanner, rx: 'sqlmap', targets: [user_agent]}
        - {id: T-6, rx: 'nikto', tool: Nikto, targets: [user_agent]}
        - {id: T-7, class: xss, rx: 'xhtml', targets: [path, args], tags: [attack-xss]}
      """;
  private static final Detector DETECTOR =
      new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", DETECTOR_YAML))));
  /** The responses an entry holds for: a search's (all 200 here), a served page's. */
  private static final List<String> OK = List.of("2xx");
  private static final List<String> SERVED = List.of("2xx", "304");

  private static Verdict observe(AllowProposals p, String ip, String target, String agent) {
    Request r = new Request(0, ip, null, "GET", target, "HTTP/1.1", 200, 1, null, agent, null);
    Verdict v = DETECTOR.judge(r, "site");
    p.observe(r, v, null);
    return v;
  }

  private static void observeOn(AllowProposals p, String site, String ip, String target) {
    Request r = new Request(0, ip, site, "GET", target, "HTTP/1.1", 200, 1, null, "Mozilla/5.0",
        null);
    p.observe(r, DETECTOR.judge(r, site), site);
  }

  private static Verdict observe(AllowProposals p, String ip, String target) {
    return observe(p, ip, target, "Mozilla/5.0");
  }

  @Test
  void manyVisitorsTrippingOneRuleInOneArgumentGiveOneEntry() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      observe(p, "192.0.2." + i, "/docs/12/search?q=gzip+" + i + "+options");
    }
    observe(p, "192.0.2.99", "/docs/12/search?q=hello"); // clean: no evidence either way
    assertThat(p.attacks()).isEqualTo(5);
    assertThat(p.proposals()).containsExactly(new AllowProposals.Proposal(null, "T-1",
        null, List.of("T-1"), "^/docs/[0-9]+/search$", "q", null, OK, 5, 5,
        List.of("gzip 1 option", "gzip 2 option", "gzip 3 option"), false));
  }

  /**
   * A consent manager's cookie, sent with every request, trips a rule for every visitor who
   * accepted it: the entry names the cookie ({@code cookie:}), on every path where the visitors
   * tripped it on many; a cookie holding an attack beside it still counts.
   */
  @Test
  void aCookieManyVisitorsTripIsProposedByName() {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: C-1, class: sqli, severity: critical, targets: [args, request_cookies],
             rx: 'union select [0-9]+', tags: [attack-sqli]}
        """))));
    AllowProposals p = new AllowProposals(5, d);
    String[] pages = {"/", "/shop", "/cart", "/help", "/about", "/shop/boots"};
    for (int i = 1; i <= 6; i++) {
      for (String page : pages) {
        Request r = withCookie("192.0.2." + i, page, "consent=groups:union select " + i + "; sid="
            + i);
        p.observe(r, d.judge(r, "site"), null);
      }
    }
    Request both = withCookie("198.51.100.7", "/", "consent=union select 1; sid=union select 2");
    assertThat(d.judge(both, "site").attack()).isTrue();
    assertThat(p.proposals()).singleElement().satisfies(e -> {
      assertThat(e.inCookie()).isTrue();
      assertThat(e.arg()).isEqualTo("consent");
      assertThat(e.path()).isNull();
      assertThat(e.sources()).isEqualTo(6);
    });
    Detector tuned = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: C-1, class: sqli, severity: critical, targets: [args, request_cookies],
             rx: 'union select [0-9]+', tags: [attack-sqli]}
        allow:
          - {rule: C-1, cookie: consent}
        """))));
    assertThat(tuned.judge(withCookie("192.0.2.1", "/", "consent=union select 1"), "site")
        .attack()).isFalse();
    assertThat(tuned.judge(both, "site").attack()).as("another cookie").isTrue();
    // four visitors and a prober that changes its payload with every request: too few clean
    AllowProposals few = new AllowProposals(5, d);
    for (int i = 1; i <= 4; i++) {
      for (String page : pages) {
        Request r = withCookie("192.0.2." + i, page, "consent=union select " + i);
        few.observe(r, d.judge(r, "site"), null);
      }
    }
    for (int k = 0; k < 12; k++) {
      Request r = withCookie("203.0.113.9", pages[k % pages.length], "consent=union select " + k);
      few.observe(r, d.judge(r, "site"), null);
    }
    assertThat(few.proposals()).isEmpty();
  }

  /**
   * A rule that reads the Referer whole (CRS 932239 at paranoia level 2) trips on a site's own
   * search sent as the Referer of each click on a result: the entry names the header
   * ({@code header: Referer}) on every path; a search that follows a search needs it beside
   * the argument's; a Referer that holds more than the rule's text still counts elsewhere.
   */
  @Test
  void aRefererManyVisitorsTripIsProposedByName() {
    String rules = """
        rules:
          - {id: R-1, class: cmdi, severity: critical, targets: [referer, args],
             transforms: [urlDecodeUni], rx: '=(yes|no)&', tags: [attack-rce]}
        """;
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", rules))));
    AllowProposals p = new AllowProposals(5, d);
    String[] pages = {"/3/a.html", "/3/b.html", "/3/c.html", "/3/d.html", "/3/e.html"};
    for (int i = 1; i <= 6; i++) {
      for (String page : pages) {
        Request r = withReferer("192.0.2." + i, page, "https://docs.example/3/search.html?q=term"
            + i + "&check=" + (i % 2 == 0 ? "yes" : "no") + "&area=default");
        p.observe(r, d.judge(r, "site"), null);
        // two texts matched, by many addresses: free text only if they browse, as visitors do
        Request clean = withReferer("192.0.2." + i, page + "?from=" + i, "-");
        p.observe(clean, d.judge(clean, "site"), null);
      }
    }
    assertThat(p.proposals()).singleElement().satisfies(e -> {
      assertThat(e.inHeader()).isTrue();
      assertThat(e.inCookie()).isFalse();
      assertThat(e.arg()).isEqualTo("Referer");
      assertThat(e.path()).isNull();
      assertThat(e.sources()).isEqualTo(6);
    });
    Detector tuned = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml",
        rules + "allow:\n  - {rule: R-1, header: Referer}\n"))));
    assertThat(tuned.judge(withReferer("192.0.2.1", "/3/a.html",
        "https://docs.example/3/search.html?q=x&check=yes&area=default"), "site").attack())
        .isFalse();
    assertThat(tuned.judge(withReferer("192.0.2.1", "/3/a.html?x=1%3Dyes%26", "-"), "site")
        .attack()).as("the rule in an argument").isTrue();
    // a search made from the results of another: the argument and the Referer both trip it
    AllowProposals again = new AllowProposals(5, d);
    for (int i = 1; i <= 6; i++) {
      Request r = withReferer("192.0.2." + i, "/3/search.html?q=a%3Dyes%26b" + i,
          "https://docs.example/3/search.html?q=a=yes&b" + i);
      again.observe(r, d.judge(r, "site"), null);
      for (String page : pages) {
        Request clean = withReferer("192.0.2." + i, page, "-");
        again.observe(clean, d.judge(clean, "site"), null);
      }
    }
    assertThat(again.proposals()).extracting(AllowProposals.Proposal::arg)
        .contains("Referer", "q");
  }

  private static Request withReferer(String ip, String target, String referer) {
    return new Request(0, ip, null, "GET", target, "HTTP/1.1", 200, 1,
        referer.equals("-") ? null : referer, "Mozilla/5.0", null);
  }

  private static Request withCookie(String ip, String target, String cookie) {
    return new Request(0, ip, null, "GET", target, "HTTP/1.1", 200, 1, null, "Mozilla/5.0", null,
        java.util.Set.of(), List.of(new org.evident.log.HeaderField("cookie", cookie)));
  }

  /**
   * A form that sends one argument several times ({@code ids[]}) trips a rule against parameter
   * pollution (CRS 921180) for every visitor who ticks two boxes. What the rule matched is a
   * count, the same for everyone, so the evidence is visitors who browse: the entry names the
   * argument.
   */
  @Test
  void aRepeatedArgumentNameIsProposedByName() {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", """
        rules:
          - {id: T-9, class: protocol, msg: t, severity: critical,
             targets: [args_name_counts], gt: 1, tags: [attack-protocol]}
        """))));
    AllowProposals p = new AllowProposals(5, d);
    for (int i = 1; i <= 5; i++) {
      Request r = new Request(0, "192.0.2." + i, null, "GET", "/shop/filter?ids[]=" + i
          + "&ids[]=" + (i + 10) + "&page=" + i, "HTTP/1.1", 200, 1, null, "Mozilla/5.0", null);
      p.observe(r, d.judge(r, "site"), null);
      for (int k = 0; k < AllowProposals.BROWSING; k++) {
        Request page = new Request(0, "192.0.2." + i, null, "GET", "/shop/item/" + (i * 10 + k),
            "HTTP/1.1", 200, 1, null, "Mozilla/5.0", null);
        p.observe(page, d.judge(page, "site"), null);
      }
    }
    assertThat(p.proposals()).extracting(AllowProposals.Proposal::rule,
        AllowProposals.Proposal::arg).containsExactly(tuple("T-9", "ids[]"));
  }

  /**
   * An entry holds for the responses its clean sources had, each class from two of them: a
   * search box that answered its visitors 200 or 304 is not excused where the application
   * answered 500 (to one visitor, or to an address flagged elsewhere too); a log without statuses
   * gives no such condition.
   */
  @Test
  void anEntryHoldsForTheResponsesItsCleanSourcesHad() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) {
      observeStatus(p, "192.0.2." + i, "/search?q=gzip+" + i, i == 3 || i == 4 ? 304 : 200);
    }
    // a prober's request answered 500 is evidence, its address not clean: its status no reason
    observeStatus(p, "198.51.100.1", "/search?q=gzip+x", 500);
    observeStatus(p, "198.51.100.1", "/login?user=gzip", 200);
    assertThat(p.proposals()).extracting(AllowProposals.Proposal::status)
        .containsExactly(List.of("2xx", "3xx"));
    AllowProposals once = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) { // one visitor's 500: not a class of the entry
      observeStatus(once, "192.0.2." + i, "/search?q=gzip+" + i, i == 3 ? 500 : 200);
    }
    assertThat(once.proposals()).extracting(AllowProposals.Proposal::status)
        .containsExactly(List.of("2xx"));
    AllowProposals two = new AllowProposals(2, DETECTOR);
    observeStatus(two, "192.0.2.1", "/search?q=gzip+1", 200);
    observeStatus(two, "192.0.2.2", "/search?q=gzip+2", 304);
    assertThat(two.proposals()).as("no class from two sources: what each had")
        .extracting(AllowProposals.Proposal::status).containsExactly(List.of("2xx", "3xx"));
    AllowProposals none = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      observeStatus(none, "192.0.2." + i, "/search?q=gzip+" + i, i == 3 ? 0 : 200);
    }
    assertThat(none.proposals()).extracting(AllowProposals.Proposal::status)
        .containsExactly(List.of());
    // an entry on every path holds for what its evidence had on any path
    AllowProposals errors = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      observeStatus(errors, "192.0.2." + i, "/page" + i + "?utm_content=gzip+" + i,
          i <= 2 ? 500 : 200);
    }
    assertThat(errors.proposals()).extracting(AllowProposals.Proposal::path,
        AllowProposals.Proposal::status).containsExactly(tuple(null, List.of("2xx", "5xx")));
  }

  @Test
  void fewerSourcesThanAskedProposeNothing() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 0; i < 20; i++) { // many requests, four addresses
      observe(p, "192.0.2." + (i % 4), "/search?q=gzip+" + i);
    }
    assertThat(p.proposals()).isEmpty();
    // shown as weaker evidence, with what it lacked and the --min-sources that would take it
    assertThat(p.selection().weaker()).containsExactly(new AllowProposals.Weaker(
        new AllowProposals.Proposal(null, "T-1", null, List.of("T-1"), "^/search$", "q", null, OK,
            20, 4, List.of("gzip 0", "gzip 1", "gzip 2"), false), 4, "clean sources"));
    assertThat(new AllowProposals(4, DETECTOR).selection().weaker()).isEmpty();
  }

  /**
   * A weaker entry is what a lower --min-sources would propose: the broadest that evidence
   * supports, and nothing a proposal covers already.
   */
  @Test
  void aWeakerEntryIsWhatALowerMinSourcesWouldPropose() {
    AllowProposals p = new AllowProposals(3, DETECTOR);
    for (int i = 1; i <= 3; i++) { // T-1 in q on /a: proposed
      observe(p, "192.0.2." + i, "/a?q=gzip+" + i);
    }
    for (int i = 4; i <= 5; i++) { // and on /b from two addresses
      observe(p, "192.0.2." + i, "/b?q=gzip+" + i);
    }
    assertThat(p.proposals()).extracting(AllowProposals.Proposal::path)
        .containsExactly("^/a$");
    // with --min-sources 2, one entry on every path (two paths) would cover /a and /b
    assertThat(p.selection().weaker()).extracting(w -> w.proposal().path(),
        AllowProposals.Weaker::minSources, AllowProposals.Weaker::shortOf)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(null, 2, "paths"));
    for (int i = 6; i <= 9; i++) { // a third path: the entry on every path is proposed
      observe(p, "192.0.2." + i, "/c?q=gzip+" + i);
    }
    assertThat(p.proposals()).extracting(AllowProposals.Proposal::path).containsExactly(
        (String) null);
    assertThat(p.selection().weaker()).as("covered by the proposal").isEmpty();
  }

  @Test
  void addressesFlaggedElsewhereAreNoEvidence() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      observe(p, "192.0.2." + i, "/search?q=gzip+" + i);
    }
    // two of them also probed another argument, one another path, one sent a scanner's agent
    observe(p, "192.0.2.1", "/search?sort=union+select+1");
    observe(p, "192.0.2.2", "/login?q=gzip");
    observe(p, "192.0.2.3", "/", "sqlmap/1.7");
    observe(p, "192.0.2.4", "/search?q=grep&sort=gzip"); // two places in one request
    observe(p, "192.0.2.5", "/search?q=gzip", "Mozilla/5.00 (Nikto/2.1.6)"); // a tool's agent
    assertThat(p.proposals()).isEmpty();
    // the same visitors, each flagged only for the search box, count
    for (int i = 6; i <= 10; i++) {
      observe(p, "192.0.2." + i, "/search?q=gzip+" + i);
    }
    assertThat(p.proposals()).extracting(AllowProposals.Proposal::sources)
        .containsExactly(5);
  }

  @Test
  void twoRulesOfAFamilyInOneArgumentGiveAnEntryByTag() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 3; i++) {
      observe(p, "192.0.2." + i, "/search?q=gzip+" + i);
    }
    for (int i = 4; i <= 5; i++) {
      observe(p, "192.0.2." + i, "/search?q=grep+" + i);
    }
    for (int i = 6; i <= 10; i++) { // T-4 has no attack- tag: excused by itself
      observe(p, "192.0.2." + i, "/search?q=sleep()+" + i);
    }
    assertThat(p.proposals()).containsExactly(
        new AllowProposals.Proposal(null, null, "attack-rce", List.of("T-1", "T-2"), "^/search$",
            "q", null, OK, 5, 5, List.of("gzip 1", "gzip 2", "gzip 3"), false),
        new AllowProposals.Proposal(null, "T-4", null, List.of("T-4"), "^/search$", "q", null,
            OK, 5, 5, List.of("sleep() 6", "sleep() 7", "sleep() 8"), false));
  }

  @Test
  void anArgumentTrippedOnManyPathsWithDifferentTextIsExcusedOnEveryPath() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) {
      observe(p, "192.0.2." + i,
          "/page" + i + "?utm_content=" + (i % 2 == 0 ? "gzip+" : "grep+") + i);
    }
    assertThat(p.proposals()).containsExactly(new AllowProposals.Proposal(null, null,
        "attack-rce", List.of("T-1", "T-2"), null, "utm_content", null, OK, 6, 6,
        List.of("grep 1", "gzip 2", "grep 3"), false));
    // one text from many addresses on many paths is a campaign's payload, not free text
    AllowProposals same = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) {
      observe(same, "192.0.2." + i, "/page" + i + "?id=1+union+select+2");
    }
    assertThat(same.proposals()).isEmpty();
  }

  @Test
  void theUserAgentIsNeverProposed() {
    AllowProposals p = new AllowProposals(2, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      observe(p, "192.0.2." + i, "/", "sqlmap/1." + i);
    }
    assertThat(p.attacks()).isEqualTo(5);
    assertThat(p.proposals()).isEmpty();
  }

  private static void observeStatus(AllowProposals p, String ip, String target, int status) {
    Request r = new Request(0, ip, null, "GET", target, "HTTP/1.1", status, 1, null,
        "Mozilla/5.0", null);
    p.observe(r, DETECTOR.judge(r, "site"), null);
  }

  /** Visitors who browse and read a page whose name trips a rule: that page's name alone. */
  @Test
  void aPageNameIsExcusedOnThatPageForVisitorsWhoBrowse() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      String ip = "192.0.2." + i;
      observe(p, ip, "/TR/index.html");
      observe(p, ip, "/TR/style.css");
      observeStatus(p, ip, "/TR/xhtml1/page.xhtml", i % 2 == 0 ? 304 : 200);
      observe(p, ip, "/TR/app.js");
    }
    assertThat(p.proposals()).containsExactly(new AllowProposals.Proposal(null, "T-7", null,
        List.of("T-7"), "^/TR/xhtml1/page\\.xhtml$", null, null, SERVED, 5, 5, List.of("xhtml"), false));
  }

  /** The pattern of every plain {@code .xhtml} page, as a type's entry proposes it. */
  private static final String XHTML_PAGES =
      "^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/[A-Za-z0-9_~-][A-Za-z0-9._~-]*\\.xhtml$";

  /**
   * A rule that objects to a file type (CRS's 941130 to {@code .xhtml}) trips on a site's long
   * tail of such pages, each read once: different pages from different clean addresses give an
   * entry for every plain page of the type, which covers the pages' own.
   */
  @Test
  void differentPagesOfOneTypeGiveAnEntryForThatType() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) { // no one browses: the pages are the different texts
      observe(p, "192.0.2." + i, "/assignments/list-" + i + "/list-" + i + ".xhtml");
    }
    for (int i = 11; i <= 15; i++) { // one page that visitors who browse read
      String ip = "192.0.2." + i;
      observe(p, ip, "/index.html");
      observe(p, ip, "/style.css");
      observe(p, ip, "/app.js");
      observe(p, ip, "/assignments/media-types.xhtml");
    }
    assertThat(p.proposals()).containsExactly(new AllowProposals.Proposal(null, "T-7", null,
        List.of("T-7"), XHTML_PAGES, null, "xhtml", SERVED, 10, 10, List.of("xhtml"), false));

    AllowProposals readers = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) { // each reads two pages of the type: still clean for it
      observe(readers, "192.0.2." + i, "/a/page-" + i + ".xhtml");
      observe(readers, "192.0.2." + i, "/b/page-" + i + ".xhtml");
    }
    observe(readers, "192.0.2.1", "/search?q=gzip"); // flagged elsewhere too: not clean
    assertThat(readers.proposals()).isEmpty();
    observe(readers, "192.0.2.6", "/c/page-6.xhtml");
    assertThat(readers.proposals()).extracting(AllowProposals.Proposal::fileType,
        AllowProposals.Proposal::sources).containsExactly(tuple("xhtml", 5));

    AllowProposals few = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) { // six addresses, four pages: short of pages
      observe(few, "192.0.2." + i, "/a/page-" + (i % 4) + ".xhtml");
    }
    assertThat(few.proposals()).isEmpty();
    assertThat(few.selection().weaker()).extracting(AllowProposals.Weaker::minSources,
        AllowProposals.Weaker::shortOf).containsExactly(tuple(4, "pages"));

    AllowProposals one = new AllowProposals(5, DETECTOR);
    for (int i = 11; i <= 15; i++) { // one page, however many read it, is not a type
      String ip = "192.0.2." + i;
      observe(one, ip, "/index.html");
      observe(one, ip, "/style.css");
      observe(one, ip, "/app.js");
      observe(one, ip, "/assignments/media-types.xhtml");
    }
    assertThat(one.proposals()).extracting(AllowProposals.Proposal::path)
        .containsExactly("^/assignments/media-types\\.xhtml$");
  }

  /** Only a match within the name's type is the type's: a name, or more, is not. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "/a/b.xhtml        | .xhtml    | xhtml",
      "/a/b.XHTML        | xhtml     | XHTML",
      "/b.xhtml          | html      | xhtml",
      "/a/config.py      | config.py | NULL", // a name, not a type
      "/a/b.xhtml        | b.xhtml   | NULL",
      "/a/.xhtml         | .xhtml    | NULL", // a hidden file: no name before the type
      "/a.b/c            | .b/c      | NULL", // no type
      "/a/b.x-html       | html      | NULL",
      "/a/b.verylongtypename17 | 17  | NULL",
      "/a/b.xhtml        | xhtm      | NULL"}) // not where the path ends
  void aPageTypeIsWhatTheRulesMatchedAtTheNamesEnd(String path, String fragment, String type) {
    Request r = new Request(0, "192.0.2.1", null, "GET", path, "HTTP/1.1", 200, 1, null,
        "Mozilla/5.0", null);
    Verdict v = new Verdict(true, 5, "xss", Severity.CRITICAL, null,
        List.of(new Match("T-7", "xss", Severity.CRITICAL, "path", fragment)), List.of(),
        List.of());
    AllowProposals.PageType t = AllowProposals.pageType(r, v);
    assertThat(t == null ? null : t.type()).isEqualTo(type);
  }

  /** A type's entry excuses the rule in plain names of the type only; anything else counts. */
  @Test
  void aPageTypesEntryExcusesPlainNamesOfThatTypeOnly() {
    String rules = DETECTOR_YAML + "allow:\n  - {rule: T-7, path: '" + XHTML_PAGES
        + "', target: path}\n";
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", rules))));
    for (String[] row : new String[][] {
        {"/assignments/media-types/media-types.xhtml", "false"},
        {"/a/b.v2.xhtml", "false"},
        {"/b.xhtml", "false"},
        {"/a/%3Csvg%3E.xhtml", "true"}, // not plain
        {"/a/../b.xhtml", "true"}, // a traversal
        {"/.git/b.xhtml", "true"}, // a hidden directory
        {"/a/b.xhtml.php", "true"}, // another type
        {"/a/b.xhtml?q=xhtml", "true"}}) { // the rule in an argument too
      Request r = new Request(0, "192.0.2.1", null, "GET", row[0], "HTTP/1.1", 200, 1, null,
          "Mozilla/5.0", null);
      assertThat(d.judge(r, "site").attack()).as(row[0]).isEqualTo(Boolean.parseBoolean(row[1]));
    }
  }

  /** The same name from addresses that do nothing else, or not served, or not plain: probes. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/TR/xhtml1/page.xhtml|200|false", // nobody browses
      "/TR/xhtml1/page.xhtml|404|true",
      "/TR/xhtml1/page.xhtml|403|true",
      "/TR/%78html1/page.xhtml|200|true",
      "/TR/../xhtml1/page.xhtml|200|true",
      "/TR//xhtml1/page.xhtml|200|true",
      "/TR/xhtml1/page.xhtml?q=xhtml|200|true"}) // the rule also in an argument
  void aPageNameThatIsAProbeIsNotExcused(String target, int status, boolean browse) {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) {
      String ip = "198.51.100." + i;
      if (browse) {
        observe(p, ip, "/TR/index.html");
        observe(p, ip, "/TR/style.css");
        observe(p, ip, "/TR/app.js");
      }
      observeStatus(p, ip, target, status);
    }
    assertThat(p.attacks()).isEqualTo(6);
    assertThat(p.proposals()).isEmpty();
  }

  @Test
  void aRequestIsEvidenceOnlyForAnEntryThatAloneWouldClearIt() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 8; i++) { // two rules, no family in common: no one entry clears it
      observe(p, "192.0.2." + i, "/products?id=1+union+select+sleep(5)");
    }
    assertThat(p.attacks()).isEqualTo(8);
    assertThat(p.proposals()).isEmpty();
  }

  /** A shop's search box says nothing about a forum's: where the log names sites, per site. */
  @Test
  void aLogThatNamesSitesGetsEntriesPerSite() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      observeOn(p, "shop.example", "192.0.2." + i, "/search?q=gzip+" + i);
      observeOn(p, "forum.example", "198.51.100." + i, "/search?q=gzip+" + i);
    }
    for (int i = 1; i <= 4; i++) { // four are not enough on their own site
      observeOn(p, "blog.example", "203.0.113." + i, "/search?q=gzip+" + i);
    }
    assertThat(p.proposals()).containsExactly(
        new AllowProposals.Proposal("forum.example", "T-1", null, List.of("T-1"), "^/search$",
            "q", null, OK, 5, 5, List.of("gzip 1", "gzip 2", "gzip 3"), false),
        new AllowProposals.Proposal("shop.example", "T-1", null, List.of("T-1"), "^/search$",
            "q", null, OK, 5, 5, List.of("gzip 1", "gzip 2", "gzip 3"), false));
    // an address flagged on two sites is not clean on either
    AllowProposals two = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      observeOn(two, "shop.example", "192.0.2." + i, "/search?q=gzip+" + i);
    }
    observeOn(two, "forum.example", "192.0.2.1", "/search?q=gzip");
    assertThat(two.proposals()).isEmpty();
    // a site name no rule file could hold on one line is no place for an entry
    AllowProposals odd = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      observeOn(odd, "shop\u2028.example", "192.0.2." + i, "/search?q=gzip+" + i);
    }
    assertThat(odd.proposals()).isEmpty();
  }

  /** A botnet sends one payload once from each of many addresses: no entry for that. */
  @Test
  void oneTextFromManyAddressesIsACampaignNotFreeText() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 50; i++) {
      observe(p, "198.51.100." + i, "/?x=gzip");
    }
    for (int i = 51; i <= 53; i++) { // four texts in all: not yet the variety of free text
      observe(p, "198.51.100." + i, "/?x=gzip+-" + i);
    }
    assertThat(p.proposals()).isEmpty();
    assertThat(p.selection().weaker()).extracting(AllowProposals.Weaker::minSources,
        AllowProposals.Weaker::shortOf)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(4, "different texts"));
    observe(p, "198.51.100.54", "/?x=gzip+-54");
    assertThat(p.proposals()).extracting(AllowProposals.Proposal::sources).containsExactly(54);
  }

  /**
   * A campaign that adds a random token to one payload sends a different text from each address,
   * but its rules match the same words every time: still one text.
   */
  @Test
  void aPayloadWithARandomTokenIsStillOneText() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    java.util.Random random = new java.util.Random(1);
    for (int i = 1; i <= 50; i++) {
      observe(p, "198.51.100." + i, "/search?q=" + Long.toHexString(random.nextLong())
          + "+sleep(5)&t=" + random.nextInt());
    }
    assertThat(p.attacks()).isEqualTo(50);
    assertThat(p.proposals()).isEmpty();
    assertThat(p.selection().weaker()).as("one text is not even weaker evidence").isEmpty();
  }

  /** A page's title, sent alike by each of its visitors, who browse the site as well. */
  @Test
  void oneTextFromVisitorsWhoBrowseIsFreeText() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) {
      String ip = "192.0.2." + i;
      if (i % 2 == 0) { // before the beacon or after it: a page, its styles, its script
        assertThat(observe(p, ip, "/docs/gzip.html").attack()).isFalse();
        observe(p, ip, "/docs/app.css");
        observe(p, ip, "/docs/app.js");
      }
      observe(p, ip, "/g/collect?dt=gzip+manual");
      if (i % 2 == 1) {
        observe(p, ip, "/docs/index.html");
        observe(p, ip, "/docs/app.css");
        observe(p, ip, "/docs/app.js");
      }
    }
    assertThat(p.proposals()).extracting(AllowProposals.Proposal::arg).containsExactly("dt");
    AllowProposals bots = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) { // they ask for the home page first, as scanners do
      observe(bots, "198.51.100." + i, "/");
      observe(bots, "198.51.100." + i, "/g/collect?dt=gzip+manual");
    }
    observe(bots, "198.51.100.1", "/docs/index.html");
    observe(bots, "198.51.100.1", "/docs/app.css"); // one of them browses
    assertThat(bots.proposals()).isEmpty();
    AllowProposals pollers = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) { // the home page three times is one request, not three
      for (int n = 0; n < 3; n++) {
        observe(pollers, "198.51.100." + i, "/");
      }
      observe(pollers, "198.51.100." + i, "/g/collect?dt=gzip+manual");
      observe(pollers, "198.51.100." + i, "/");
    }
    assertThat(pollers.proposals()).isEmpty();
  }

  @Test
  void differentTargetsAreCountedOnceEach() {
    int seen = 0;
    for (String t : new String[] {"/", "/", "/a.css", "/", "/a.css", "/b.js", "/c.png"}) {
      seen = AllowProposals.sawTarget(seen, t);
    }
    assertThat(seen & 3).isEqualTo(AllowProposals.BROWSING);
    assertThat(AllowProposals.sawTarget(AllowProposals.sawTarget(0, "/"), "/") & 3).isOne();
  }

  @Test
  void anAddressFlaggedManyTimesIsAProberNotAVisitor() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) { // a tool's run spread over six addresses, one argument
      for (int n = 0; n <= AllowProposals.MAX_FLAGGED_PER_SOURCE; n++) {
        observe(p, "198.51.100." + i, "/item?id=gzip+" + n);
      }
    }
    assertThat(p.proposals()).isEmpty();
    AllowProposals few = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 6; i++) { // the same visitors searching as often as the bound allows
      for (int n = 1; n <= AllowProposals.MAX_FLAGGED_PER_SOURCE; n++) {
        observe(few, "198.51.100." + i, "/item?id=gzip+" + n);
      }
    }
    assertThat(few.proposals()).extracting(AllowProposals.Proposal::sources).containsExactly(6);
  }

  @Test
  void addressesPastTheBoundCountForNothing() {
    AllowProposals p = new AllowProposals(3, DETECTOR, 4, 100);
    for (int i = 1; i <= 8; i++) {
      observe(p, "192.0.2." + i, "/search?q=gzip+" + i);
    }
    assertThat(p.followedSources()).isEqualTo(4);
    assertThat(p.unfollowed()).isEqualTo(4);
    assertThat(p.proposals()).extracting(AllowProposals.Proposal::sources)
        .containsExactly(4);
    AllowProposals few = new AllowProposals(3, DETECTOR, 100, 1);
    for (int i = 1; i <= 4; i++) { // each request is evidence for four possible entries
      observe(few, "192.0.2." + i, "/search?q=gzip+" + i);
    }
    assertThat(few.droppedCandidates()).isEqualTo(12);
    assertThat(few.proposals()).hasSizeLessThanOrEqualTo(1);
    assertThatThrownBy(() -> new AllowProposals(1, DETECTOR))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEntryByTagExcusesItsFamilyInItsArgumentOnly() {
    String rules = DETECTOR_YAML + """
        allow:
          - {tag: attack-rce, path: '^/search$', arg: q}
        """;
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", rules))));
    for (String[] row : new String[][] {
        {"/search?q=gzip+grep", "false"}, // both rules of the family, excused
        {"/search?q=union+select+1", "true"}, // another family
        {"/search?q=sleep(5)", "true"}, // a rule without the tag
        {"/search?sort=gzip", "true"}, // another argument
        {"/search?q=gzip&sort=grep", "true"}, // the family elsewhere in the request
        {"/find?q=gzip", "true"}}) { // another path
      Request r = new Request(0, "192.0.2.1", null, "GET", row[0], "HTTP/1.1", 200, 1, null,
          "Mozilla/5.0", null);
      assertThat(d.judge(r, "site").attack()).as(row[0]).isEqualTo(Boolean.parseBoolean(row[1]));
    }
  }

  /** A beacon carries its page's URL in two arguments: the entries for both clear it together. */
  @Test
  void aRuleTrippedInTwoArgumentsNeedsAnEntryForEachAndTheyAddUp() {
    AllowProposals p = new AllowProposals(5, DETECTOR);
    for (int i = 1; i <= 5; i++) {
      observe(p, "192.0.2." + i, "/g/collect?v=2&dl=gzip+" + i + "&dr=gzip+docs+" + i);
    }
    List<AllowProposals.Proposal> found = p.proposals();
    assertThat(found).extracting(AllowProposals.Proposal::arg).containsExactly("dl", "dr");
    assertThat(found).extracting(AllowProposals.Proposal::sources).containsOnly(5);

    String one = DETECTOR_YAML + "allow:\n  - {rule: T-1, path: '^/g/collect$', arg: dl}\n";
    String both = one + "  - {rule: T-1, path: '^/g/collect$', arg: dr}\n";
    Request r = new Request(0, "192.0.2.9", null, "GET", "/g/collect?dl=gzip&dr=gzip",
        "HTTP/1.1", 200, 1, null, "Mozilla/5.0", null);
    assertThat(new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", one))))
        .judge(r, "site").attack()).isTrue();
    Verdict v = new Detector(RuleSet.parse(List.of(new RuleFile("t.yaml", both))))
        .judge(r, "site");
    assertThat(v.attack()).isFalse();
    // explain names both entries: each alone would not have excused the match
    assertThat(v.excused()).extracting(Verdict.Excused::allow)
        .containsExactly("t.yaml, allow entries 1 and 2");
  }

  /**
   * Four CRS families (each rule tagged {@code OWASP_CRS}, as CRS's are) and, beside them, rules
   * of another pack that judge query arguments for the four injection classes, as Evident's do.
   */
  private static final String CRS_YAML = """
      pack: c
      version: "1"
      defaults: {severity: critical, targets: [args], transforms: [urlDecodeUni, lowercase]}
      rules:
        - {id: C-1, class: cmdi, rx: '\\bgzip\\b', tags: [attack-rce, OWASP_CRS]}
        - {id: C-2, class: sqli, rx: '\\bhaving\\b', tags: [attack-sqli, OWASP_CRS]}
        - {id: C-3, class: xss, rx: 'import \\(', tags: [attack-xss, OWASP_CRS]}
        - {id: C-4, class: php, rx: 'stat\\(\\)', tags: [attack-injection-php, OWASP_CRS]}
      """;
  private static final String BACKSTOP_YAML = """
        - {id: E-1, class: sqli, rx: 'union select'}
        - {id: E-2, class: xss, rx: '<script'}
        - {id: E-3, class: cmdi, rx: ';cat '}
        - {id: E-4, class: traversal, rx: '\\.\\./'}
      """;
  private static final Detector CRS_AND_BACKSTOP =
      new Detector(RuleSet.parse(List.of(new RuleFile("c.yaml", CRS_YAML + BACKSTOP_YAML))));

  /**
   * Six addresses each searching once, the first {@code browsers} of them browsing too: texts
   * that trip {@code families} of CRS's families, as code does.
   */
  private static AllowProposals searches(Detector d, int families, int browsers) {
    String[] texts = {"gzip+options", "having+fun", "import+(module)", "stat()+results"};
    AllowProposals p = new AllowProposals(5, d);
    for (int i = 1; i <= 6; i++) {
      String ip = "192.0.2." + i;
      for (String page : i <= browsers ? new String[] {"/", "/app.css", "/app.js"}
          : new String[0]) {
        Request r = new Request(0, ip, null, "GET", page, "HTTP/1.1", 200, 1, null,
            "Mozilla/5.0", null);
        p.observe(r, d.judge(r, "site"), null);
      }
      Request r = new Request(0, ip, null, "GET", "/search?q=" + texts[i % families] + "+" + i,
          "HTTP/1.1", 200, 1, null, "Mozilla/5.0", null);
      p.observe(r, d.judge(r, "site"), null);
    }
    return p;
  }

  /**
   * A field where visitors who browse trip three or more CRS families is free text: one entry
   * excuses every CRS rule there (CRS's own exclusion for a post's body), and the other pack's
   * rules still count the attacks in it.
   */
  @Test
  void aFieldWhereVisitorsTripManyCrsFamiliesIsFreeTextForCrs() {
    AllowProposals p = searches(CRS_AND_BACKSTOP, 3, 6);
    assertThat(p.proposals()).extracting(AllowProposals.Proposal::tag,
        AllowProposals.Proposal::rules, AllowProposals.Proposal::path,
        AllowProposals.Proposal::arg, AllowProposals.Proposal::sources)
        .containsExactly(tuple(AllowProposals.FREE_TEXT_TAG, List.of("C-1", "C-2", "C-3"),
            "^/search$", "q", 6));
    Detector tuned = new Detector(RuleSet.parse(List.of(new RuleFile("c.yaml",
        CRS_YAML + BACKSTOP_YAML + """
        allow:
          - {tag: OWASP_CRS, path: '^/search$', status: [2xx], arg: q}
        """))));
    for (String[] row : new String[][] {
        {"/search?q=stat()", "false"}, // a CRS family no visitor tripped: CRS's, excused
        {"/search?q=1+union+select+2", "true"}, // the other pack judges the field still
        {"/search?q=x;cat+/etc/passwd", "true"},
        {"/search?q=gzip&sort=gzip", "true"}}) { // CRS elsewhere in the request
      Request r = new Request(0, "192.0.2.1", null, "GET", row[0], "HTTP/1.1", 200, 1, null,
          "Mozilla/5.0", null);
      assertThat(tuned.judge(r, "site").attack()).as(row[0])
          .isEqualTo(Boolean.parseBoolean(row[1]));
    }
  }

  /**
   * Free text needs visitors who browse (a campaign's one-request addresses do not), three
   * families, and the other pack's rules beside CRS: without them nothing would judge the field.
   */
  @Test
  void freeTextNeedsBrowsingVisitorsThreeFamiliesAndAnotherPack() {
    AllowProposals once = searches(CRS_AND_BACKSTOP, 3, 0);
    assertThat(once.proposals()).isEmpty();
    assertThat(once.selection().weaker()).extracting(w -> w.proposal().tag())
        .doesNotContain(AllowProposals.FREE_TEXT_TAG);
    assertThat(searches(CRS_AND_BACKSTOP, 3, 3).selection().weaker())
        .extracting(w -> w.proposal().tag(), AllowProposals.Weaker::minSources,
            AllowProposals.Weaker::shortOf)
        .contains(tuple(AllowProposals.FREE_TEXT_TAG, 3, "clean sources that browse"));
    assertThat(searches(CRS_AND_BACKSTOP, 2, 6).proposals())
        .extracting(AllowProposals.Proposal::tag).doesNotContain(AllowProposals.FREE_TEXT_TAG);
    Detector crsAlone = new Detector(RuleSet.parse(List.of(new RuleFile("c.yaml", CRS_YAML))));
    assertThat(searches(crsAlone, 3, 6).proposals())
        .extracting(AllowProposals.Proposal::tag).doesNotContain(AllowProposals.FREE_TEXT_TAG);
  }

  /** Which rule sets judge query arguments beside CRS for each injection class. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "sqli xss cmdi traversal | args  | 1 | true",
      "sqli xss cmdi traversal | query | 1 | true",
      "sqli xss cmdi           | args  | 1 | false", // no traversal rule
      "sqli xss cmdi traversal | path  | 1 | false", // not in query arguments
      "sqli xss cmdi traversal | args  | 2 | false", // above the paranoia level
  })
  void freeTextNeedsRulesBesideCrsForEachInjectionClass(String classes, String target,
      int paranoia, boolean backstop) {
    StringBuilder y = new StringBuilder(CRS_YAML);
    int n = 0;
    for (String c : classes.split(" ")) {
      y.append("  - {id: B-").append(++n).append(", class: ").append(c)
          .append(", rx: 'zz").append(n).append("', targets: [").append(target)
          .append("], paranoia: ").append(paranoia).append("}\n");
    }
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("b.yaml", y.toString()))));
    assertThat(AllowProposals.backstop(d)).isEqualTo(backstop);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "/search                      | ^/search$",
      "/3/search.html               | ^/[0-9]+/search\\.html$",
      "/item/0b1c2d3e4f/edit        | ^/item/[0-9a-fA-F-]+/edit$",
      "/u/9f1c3a2e-1b2c-4d5e-8f90-a1b2c3d4e5f6 | ^/u/[0-9a-fA-F-]+$",
      "/deadbeef                    | ^/deadbeef$",
      "/a+b/(x)/[y]$                | ^/a\\+b/\\(x\\)/\\[y\\]\\$$",
      "/                            | ^/$",
      "/caf\u00e9                   | NULL",
      "search                       | NULL",
  })
  void pathsBecomeAnchoredPatterns(String path, String pattern) {
    assertThat(AllowProposals.pathPattern(path)).isEqualTo(pattern);
    if (pattern != null) {
      assertThat(com.google.re2j.Pattern.compile(pattern).matcher(path).matches()).isTrue();
    }
  }
}
