package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.evident.log.LineParser;
import org.evident.log.LogFormats;
import org.evident.log.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rules on the request headers a site's log format holds beyond the User-Agent, Referer and Host
 * ({@code %{Cookie}i}, {@code %{Accept}i}): SecLang's {@code REQUEST_HEADERS},
 * {@code REQUEST_COOKIES} and their names, compiled and judged; a log without the field says
 * nothing about the header.
 */
class OtherHeadersTest {

  /** A site's log: combined, then the Cookie, Accept, Range and X-Forwarded-For headers. */
  static final String FORMAT = "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\""
      + " \"%{User-Agent}i\" \"%{Cookie}i\" \"%{Accept}i\" \"%{Range}i\" \"%{X-Forwarded-For}i\"";

  static final Detector DETECTOR = new Detector(RuleSet.parse(List.of(new RuleFile(
      "REQUEST-9.conf", String.join("\n",
          "SecRule REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|REQUEST_COOKIES_NAMES|ARGS"
              + " \"@rx (?i)union\\s+select\" \"id:942100,phase:2,block,t:none,t:urlDecodeUni,"
              + "severity:'CRITICAL',tag:'attack-sqli',tag:'paranoia-level/1'\"",
          "SecRule REQUEST_HEADERS|!REQUEST_HEADERS:Cookie \"@contains ../\" \"id:930110,"
              + "phase:2,block,severity:'CRITICAL',tag:'attack-lfi',tag:'paranoia-level/1'\"",
          "SecRule REQUEST_HEADERS:Accept \"@rx ^$\" \"id:920310,phase:1,block,"
              + "severity:'NOTICE',tag:'attack-protocol',tag:'paranoia-level/1'\"",
          "SecRule &REQUEST_HEADERS:Accept \"@eq 0\" \"id:920300,phase:1,block,"
              + "severity:'NOTICE',tag:'attack-protocol',tag:'paranoia-level/1'\"",
          "SecRule &REQUEST_HEADERS:Range \"@gt 0\" \"id:920190,phase:1,block,"
              + "severity:'WARNING',tag:'attack-protocol',tag:'paranoia-level/1'\"",
          "SecRule REQUEST_HEADERS_NAMES \"@rx ^.*$\" \"id:920450,phase:1,block,capture,"
              + "t:none,t:lowercase,severity:'CRITICAL',tag:'attack-protocol',"
              + "tag:'paranoia-level/1',setvar:'tx.header_name_920450_%{tx.0}=/%{tx.0}/',"
              + "chain\"",
          "  SecRule TX:/^header_name_920450_/ \"@within /range/ /if/\" \"t:none,"
              + "setvar:'tx.inbound_anomaly_score_pl1=+%{tx.critical_anomaly_score}'\"",
          "SecRuleUpdateTargetById 942100 \"!REQUEST_COOKIES:__gads\"", "")))),
      Detector.DEFAULT_THRESHOLD, 1);

  /** A line of {@link #FORMAT}: {@code -} for a header not sent. */
  static Request line(String target, String cookie, String accept, String range, String xff)
      throws Exception {
    return LogFormats.byName(FORMAT).newParser().parse("192.0.2.1 - - [10/Feb/2013:10:00:00"
        + " +0000] \"GET " + target + " HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0\" \"" + cookie
        + "\" \"" + accept + "\" \"" + range + "\" \"" + xff + "\"");
  }

  @ParameterizedTest(name = "{0} | {1} | {2} | {3} | {4}")
  @CsvSource(delimiter = '|', value = {
      "/|sid=1 union select 2|*/*|-|-|942100@request_cookies:sid",
      "/|sid=1; __utmz=union select|*/*|-|-|",
      "/|__gads=union select|*/*|-|-|",
      "/|union select=1|*/*|-|-|942100@request_cookies_names",
      "/?q=union+select|-|*/*|-|-|942100@args:q",
      "/|p=../../etc|*/*|-|-|",
      "/|-|../x|-|-|930110@request_headers:accept",
      "/|-|*/*|-|10.0.0.1, ../x|930110@request_headers:x-forwarded-for",
      "/|-|''|-|-|920310@request_headers:accept",
      "/|-|-|-|-|920300@headers_not_sent",
      "/|-|*/*|bytes=0-1|-|920190@request_headers_names 920450@request_headers_names",
      "/|-|*/*|-|-|",
  })
  void rulesReadTheHeadersTheLogHolds(String target, String cookie, String accept, String range,
      String xff, String expected) throws Exception {
    Verdict v = DETECTOR.judge(line(target, cookie, accept.equals("''") ? "" : accept, range,
        xff), "s");
    List<String> got = v.matches().stream().map(m -> m.ruleId() + "@" + m.target()).toList();
    assertThat(String.join(" ", got)).isEqualTo(expected == null ? "" : expected);
  }

  /** A combined log holds none of them: nothing is known missing, nothing is judged. */
  @Test
  void aLogWithoutTheFieldsSaysNothingAboutTheHeaders() throws Exception {
    Request r = LogFormats.byName("combined").newParser().parse("192.0.2.1 - - [10/Feb/2013"
        + ":10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0\"");
    assertThat(DETECTOR.judge(r, "s").clean()).isTrue();
  }

  /**
   * The names of the headers sent, in a log without other headers: known before the request
   * (one of eight lists), the same verdicts as judged.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "-|-|", "https://a.example/|-|R@request_headers_names", "-|Mozilla/5.0|",
      "https://a.example/|Mozilla/5.0|R@request_headers_names",
  })
  void theNamesOfTheHeadersSentAreKnownBeforeTheRequest(String referer, String agent,
      String expected) throws Exception {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("site.conf", String.join("\n",
        "SecRule REQUEST_HEADERS_NAMES \"@streq referer\" \"id:R,phase:1,deny\"",
        "SecRule REQUEST_HEADERS_NAMES \"@rx ^.*$\" \"id:C,phase:1,deny,capture,"
            + "setvar:'tx.h_%{tx.0}=/%{tx.0}/',chain\"",
        "  SecRule TX:/^h_/ \"@within /range/\" \"t:none\"", "")))));
    Request r = LogFormats.byName("combined").newParser().parse("192.0.2.1 - - [10/Feb/2013"
        + ":10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"" + referer + "\" \"" + agent + "\"");
    List<String> got = d.judge(r, "s").matches().stream()
        .map(m -> m.ruleId() + "@" + m.target()).toList();
    assertThat(String.join(" ", got)).isEqualTo(expected == null ? "" : expected);
  }

  /** Cookies are split at {@code ;} as sent: a pair without {@code =} is a name; no decoding. */
  @Test
  void cookiesAreSplitAsModSecuritySplitsThem() throws Exception {
    RequestTargets t = new RequestTargets(line("/", "a=1;  b=%41=x;flag;; c=", "*/*", "-", "-"));
    assertThat(t.values(Target.REQUEST_COOKIES_NAMES)).containsExactly("a", "b", "flag", "c");
    assertThat(t.values(Target.REQUEST_COOKIES)).containsExactly("1", "%41=x", "", "");
    assertThat(t.values(Target.REQUEST_HEADERS_NAMES)).containsExactly("user-agent", "cookie",
        "accept");
  }

  /**
   * An allow entry's {@code cookie:} excuses what a rule found in that cookie only, as CRS's
   * {@code ctl:ruleRemoveTargetById=...;REQUEST_COOKIES:name} does: the rule still counts where
   * it matches elsewhere (another cookie, an argument).
   */
  @ParameterizedTest(name = "{0} | {1}")
  @CsvSource(delimiter = '|', value = {
      "/|consent=a union select b|",
      "/|CONSENT=a union select b|",
      "/|consent=a union select b; sid=1 union select 2|L-1@request_cookies:consent",
      "/?q=union+select+1|consent=a union select b|L-1@args:q",
      "/admin|consent=a union select b|L-1@request_cookies:consent",
  })
  void anAllowEntryNamesACookie(String target, String cookie, String expected) throws Exception {
    // the match is where the rule first found it: in a cookie the entry names, still counted
    // when the rule matches elsewhere too
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("l.yaml", String.join("\n",
        "rules:", "  - {id: L-1, class: sqli, targets: [args, request_cookies],"
            + " transforms: [urlDecodeUni], rx: 'union\\s+select'}",
        "allow:", "  - {rule: L-1, cookie: consent, path: '^/$'}", "")))));
    List<String> got = d.judge(line(target, cookie, "*/*", "-", "-"), "s").matches().stream()
        .map(m -> m.ruleId() + "@" + m.target()).toList();
    assertThat(String.join(" ", got)).isEqualTo(expected == null ? "" : expected);
  }

  /**
   * An allow entry's {@code header:} excuses what a rule found in that request header only, as
   * CRS's {@code ctl:ruleRemoveTargetById=...;REQUEST_HEADERS:name} does; the User-Agent,
   * Referer and Host are headers too, though targets of their own. Names in any case.
   */
  @ParameterizedTest(name = "{0} | {1} | {2}")
  @CsvSource(delimiter = '|', value = {
      "{rule: L-1, header: Accept}|sleep(5)|-|",
      "{rule: L-1, header: accept}|sleep(5)|-|",
      "{rule: L-1, header: Accept}|sleep(5)|sleep(5)|L-1@request_headers:accept",
      "{rule: L-1, header: X-Forwarded-For}|sleep(5)|sleep(5)|L-1@request_headers:accept",
      "{rule: L-1, header: X-Forwarded-For}|*/*|sleep(5)|",
      "{rule: L-1, header: User-Agent}|sleep(5)|-|L-1@request_headers:accept",
      "{rule: L-1, header: Accept, path: '^/a$'}|sleep(5)|-|L-1@request_headers:accept",
  })
  void anAllowEntryNamesAHeader(String entry, String accept, String xff, String expected)
      throws Exception {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("l.yaml", String.join("\n",
        "rules:", "  - {id: L-1, class: sqli, targets: [request_headers, user_agent],"
            + " contains: sleep(}", "allow:", "  - " + entry, "")))));
    List<String> got = d.judge(line("/", "-", accept, "-", xff), "s").matches().stream()
        .map(m -> m.ruleId() + "@" + m.target()).toList();
    assertThat(String.join(" ", got)).isEqualTo(expected == null ? "" : expected);
  }

  /** The User-Agent by {@code header:}: a monitoring probe a site knows, on its own path. */
  @Test
  void anAllowEntryNamesTheUserAgentAsAHeader() throws Exception {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("l.yaml", String.join("\n",
        "rules:", "  - {id: L-1, class: sqli, targets: [user_agent, args], contains: sleep(}",
        "allow:", "  - {rule: L-1, header: User-Agent, path: '^/health$'}", "")))));
    LineParser p = LogFormats.byName("combined").newParser();
    String at = "192.0.2.1 - - [10/Feb/2013:10:00:00 +0000] \"GET ";
    String agent = "\" 200 1 \"-\" \"probe sleep(1)\"";
    assertThat(d.judge(p.parse(at + "/health HTTP/1.1" + agent), "s").clean()).isTrue();
    assertThat(d.judge(p.parse(at + "/health?x=sleep(2) HTTP/1.1" + agent), "s").ruleIds())
        .as("found in an argument too").containsExactly("L-1");
    assertThat(d.judge(p.parse(at + "/ HTTP/1.1" + agent), "s").ruleIds())
        .containsExactly("L-1");
  }

  /** CRS's runtime removal of a header is such an entry, for the requests its chain matches. */
  @Test
  void crsRemovesAHeaderFromARuleAtRuntime() throws Exception {
    RuleSet rs = RuleSet.parse(List.of(new RuleFile("REQUEST-900.conf",
        String.join("\n", "SecRule REQUEST_FILENAME \"@streq /\" \"id:1000,phase:1,pass,nolog,"
            + "ctl:ruleRemoveTargetById=942100;REQUEST_HEADERS:Accept\"", "")),
        new RuleFile("REQUEST-942.conf", String.join("\n",
            "SecRule REQUEST_HEADERS|ARGS \"@rx union\\s+select\" \"id:942100,phase:2,block,"
                + "severity:'CRITICAL',tag:'attack-sqli',tag:'paranoia-level/1'\"", ""))));
    assertThat(rs.skipped().get(CrsRules.APPLIED)).containsExactly("1000");
    Detector d = new Detector(rs);
    assertThat(d.judge(line("/", "-", "a union select b", "-", "-"), "s").clean()).isTrue();
    assertThat(d.judge(line("/a", "-", "a union select b", "-", "-"), "s").ruleIds())
        .containsExactly("942100");
  }

  /** CRS's runtime removal of a cookie is such an entry, for the requests its chain matches. */
  @Test
  void crsRemovesACookieFromARuleAtRuntime() throws Exception {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("REQUEST-900.conf",
        String.join("\n", "SecRule REQUEST_FILENAME \"@streq /\" \"id:1000,phase:1,pass,nolog,"
            + "ctl:ruleRemoveTargetById=942100;REQUEST_COOKIES:consent\"", "")),
        new RuleFile("REQUEST-942.conf", String.join("\n",
            "SecRule REQUEST_COOKIES|ARGS \"@rx union\\s+select\" \"id:942100,phase:2,block,"
                + "severity:'CRITICAL',tag:'attack-sqli',tag:'paranoia-level/1'\"", "")))));
    assertThat(d.judge(line("/", "consent=a union select b", "*/*", "-", "-"), "s").clean())
        .isTrue();
    assertThat(d.judge(line("/a", "consent=a union select b", "*/*", "-", "-"), "s").ruleIds())
        .containsExactly("942100");
  }

  /**
   * A log that holds cookies one by one (nginx's {@code $cookie_sid}, Apache's
   * {@code %{sid}C}) is judged as one that holds the Cookie header with those cookies.
   */
  @Test
  void cookiesLoggedByNameAreJudged() throws Exception {
    Request r = LogFormats.byName("nginx:$remote_addr [$time_local] \"$request\" $status"
        + " \"$cookie_sid\" \"$cookie_lang\"").newParser().parse("192.0.2.1"
        + " [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.1\" 200 \"1 union select 2\" \"-\"");
    assertThat(DETECTOR.judge(r, "s").matches()).extracting(m -> m.ruleId() + "@" + m.target())
        .containsExactly("942100@request_cookies:sid");
    assertThat(new RequestTargets(r).values(Target.REQUEST_COOKIES_NAMES)).containsExactly("sid");
  }

  /** Evident's own rules name a header or a cookie as they name an argument. */
  @Test
  void evidentRulesReadAHeaderOrCookieByName() throws Exception {
    Detector d = new Detector(RuleSet.parse(List.of(new RuleFile("local.yaml", String.join("\n",
        "rules:", "  - {id: L-1, class: sqli, targets: ['request_cookies:sid',"
            + " 'request_headers:accept'], contains: sleep(}")))));
    assertThat(d.judge(line("/", "sid=sleep(5)", "*/*", "-", "-"), "s").ruleIds())
        .containsExactly("L-1");
    assertThat(d.judge(line("/", "other=sleep(5)", "sleep(5)", "-", "-"), "s").matches())
        .extracting(Match::target).containsExactly("request_headers:accept");
    assertThat(d.judge(line("/", "other=sleep(5)", "*/*", "-", "sleep(5)"), "s").clean())
        .isTrue();
  }
}
