package org.evident.detect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.evident.log.Request;

/**
 * Proposes {@code allow:} entries from the attacks judged in a log, the way CRS users tune false
 * positives, with the judgement of which ones are false left to numbers rather than to taste.
 * Every entry excuses rules in one query argument or cookie (read as an argument: a
 * consent manager's cookie trips CRS for every visitor who accepted it, on every page, so its
 * entry is for every path, and a visitor's requests count as one while the text matched stays
 * the same). A request is evidence for entries only when
 * they alone would clear it: every rule that scored on it matched in query arguments only, and
 * taking out the arguments it trips ({@link Detector#argsTripping}: a beacon's page URL is in
 * {@code dl} and {@code dr}) stops it; the request counts for an entry in each of them, as the
 * entries for one rule add up. A search term that trips one CRS rule is such a request; sqlmap's
 * payloads trip several rules of Evident and CRS at once, and no single entry clears them; a
 * request whose agent names an attack tool is never evidence, and marks its address. An
 * entry is then proposed only on the evidence of at least {@code minSources} distinct client
 * addresses that were flagged for nothing else in the whole log, and for no more than
 * {@link #MAX_FLAGGED_PER_SOURCE} requests (clean sources), with as many different texts matched
 * (what the rules found, not the whole argument: a campaign's random token beside its payload
 * changes the argument, not what is matched), or as many clean sources that also made different
 * requests nothing flagged (one text sent from many addresses that do nothing else is a botnet's
 * payload; from visitors who browse, a page's title): a search box's free text trips the same
 * rules for many unrelated visitors who each search a few times; an attacker probes more than
 * one place, or sends many payloads to one, and their addresses do not count.
 *
 * <p>From the narrowest to the broadest, an entry excuses:
 * <ul>
 *   <li>one rule in the argument on one path (numeric and hexadecimal path segments generalised:
 *       {@code /item/123} and {@code /item/456} are one path);
 *   <li>a family of rules, by its {@code attack-} tag (CRS's {@code attack-rce},
 *       {@code attack-sqli}, ...), when two or more of the family were tripped there: a free-text
 *       field that trips two of a family's rules will trip the others on other days, and CRS's
 *       own advice for such fields is an exclusion by tag. Evident's own rules carry no such tag
 *       and are only ever excused one by one;
 *   <li>either of those in the argument on every path, when the clean sources tripped it on
 *       {@code minSources} different paths with at least two different fragments: a campaign
 *       parameter ({@code utm_content}) carries the same free text to any landing page;
 *   <li>every CRS rule ({@link #FREE_TEXT_TAG}) in the argument, on its path or on every path,
 *       when the clean sources tripped {@link #FREE_TEXT_FAMILIES} or more CRS families there
 *       and {@code minSources} of them browse: a field people write in (a search box searched
 *       for code, a page's title) trips CRS's rules one by one, each too seldom for its own
 *       entry. Proposed only when rules without that tag judge query arguments for each
 *       injection class ({@link #backstop}): they still count the attacks in the field, and
 *       what CRS alone would find there is the price.
 * </ul>
 * A broader entry replaces the narrower ones it covers.
 *
 * <p>A rule can also be excused in a page's own name ({@code target: path}: CRS's 941130 on
 * every {@code .xhtml} page, 930130 on {@code config.py} in a code browser) on that page alone,
 * when every rule that scored matched in the path and nothing else, the page's name is plain
 * ({@link #servedPage}) and the server served it, and {@code minSources} clean sources that
 * browse requested it: the name is one text, so only visitors tell a page from a campaign's
 * probe. Where what the rules matched is the name's file type alone (941130's {@code .xhtml}),
 * the entry is for every plain page of that type ({@link #pageType}) once {@code minSources}
 * clean sources requested as many different such pages: a site's long tail of pages, each read
 * once, is as benign as its popular ones, and a plain name carries no payload. The User-Agent
 * and other whole-request targets are never proposed.
 *
 * <p>Entries whose evidence falls short of {@code minSources} but reaches two are listed
 * apart ({@link #selection}), with what they lacked: a lead for the user to judge, never a
 * proposal.
 *
 * <p>Where the log names each request's site (a virtual-host field), every entry is for one
 * site: a shop's search box says nothing about a forum's, and an address flagged on two sites
 * is not clean.
 *
 * <p>Memory is bounded, as in every per-source state here: at most {@link #MAX_SOURCES}
 * addresses are followed (later ones count for nothing, so a proposal can only be missed, never
 * made on less evidence) and at most {@link #MAX_CANDIDATES} possible entries kept.
 * Not thread-safe: one instance per reader.
 */
public final class AllowProposals {
  /**
   * Addresses followed, and as many clean ones remembered: some 130 bytes each, well inside the
   * launcher's 384 MiB heap (1.2M lines of 1.2M addresses: 377 MB peak RSS, BENCHMARKS.md).
   */
  public static final int MAX_SOURCES = 500_000;
  public static final int MAX_CANDIDATES = 100_000;
  /** More flagged requests than this make an address a prober, not a visitor. */
  public static final int MAX_FLAGGED_PER_SOURCE = 10;
  /** Different requests nothing flagged that make an address a visitor who browses. */
  static final int BROWSING = 3;
  private static final int MAX_SOURCES_PER_CANDIDATE = 10_000;
  private static final int EXAMPLES = 3;
  private static final int EXAMPLE_CHARS = 60;
  /** Where a page-name entry excuses: no argument ({@code target: path}). */
  private static final Set<String> PAGE_NAME = Collections.singleton(null);
  /**
   * The tag every CRS rule carries: an entry by it makes an argument free text for CRS, as CRS's
   * own exclusions do for a post's body ({@code ctl:ruleRemoveTargetByTag=OWASP_CRS}).
   */
  public static final String FREE_TEXT_TAG = "OWASP_CRS";
  private static final String FREE_TEXT = "#" + FREE_TEXT_TAG;
  /** CRS families ({@code attack-} tags) a free-text argument's clean visitors tripped. */
  static final int FREE_TEXT_FAMILIES = 3;
  /**
   * The classes that rules without {@link #FREE_TEXT_TAG} must judge in query arguments for a
   * free-text entry to be proposed: what it excuses of CRS, they still count.
   */
  private static final Set<String> BACKSTOP = Set.of("sqli", "xss", "cmdi", "traversal");

  private final int minSources;
  private final Detector detector;
  private final int maxSources;
  private final int maxCandidates;
  /** Whether free-text entries may be proposed ({@link #backstop}). */
  private final boolean freeText;
  private final Map<Candidate, Evidence> candidates = new HashMap<>();
  private final Map<String, Source> sources = new HashMap<>();
  /**
   * Requests nothing flagged, by address, before its first flagged one (bounded; as
   * {@link #sawTarget} packs them).
   */
  private final Map<String, Integer> browsers = new HashMap<>();
  /** The type's pattern of each page a page-name candidate is for, where the type is one. */
  private final Map<String, String> typeOfPage = new HashMap<>();
  private long attacks;
  private long unfollowed;
  private long droppedCandidates;

  /**
   * @param minSources distinct clean sources an entry needs (at least 2)
   * @param detector what judged the requests: their rules' tags, and in which arguments each
   *     rule matches
   */
  public AllowProposals(int minSources, Detector detector) {
    this(minSources, detector, MAX_SOURCES, MAX_CANDIDATES);
  }

  AllowProposals(int minSources, Detector detector, int maxSources, int maxCandidates) {
    if (minSources < 2) {
      throw new IllegalArgumentException("an entry needs at least 2 sources");
    }
    this.minSources = minSources;
    this.detector = detector;
    this.maxSources = maxSources;
    this.maxCandidates = maxCandidates;
    this.freeText = backstop(detector);
  }

  /**
   * Whether rules that are not CRS's judge query arguments for SQL injection, XSS, command
   * injection and traversal at the detector's paranoia level (Evident's own do): only then is
   * an argument excused from every CRS rule, as those rules still count the attacks in it.
   */
  public static boolean backstop(Detector detector) {
    Set<String> judged = new HashSet<>();
    for (Rule r : detector.ruleSet().rules()) {
      if (r.attackClass() != null && !r.tags().contains(FREE_TEXT_TAG)
          && r.paranoia() <= detector.paranoia()
          && (r.targets().contains(Target.ARGS) || r.targets().contains(Target.QUERY))) {
        judged.add(r.attackClass());
      }
    }
    return judged.containsAll(BACKSTOP);
  }

  /**
   * One proposed entry and the evidence for it.
   *
   * @param site the site the entry is for, as the log named it, or {@code null} when the log
   *     names none
   * @param rule the rule to excuse, or {@code null} for an entry by tag
   * @param tag the {@code attack-} tag of the rules to excuse, or {@code null}
   * @param rules the rules the evidence is about (one for an entry by rule)
   * @param path an RE2 pattern for the still-encoded path, anchored at both ends, or
   *     {@code null} for every path
   * @param arg the query argument (or, with {@code inCookie}, the cookie), or {@code null} for
   *     the path's own name (the entry's
   *     {@code target: path}; {@code path} is then the page's, or its type's, never every path;
   *     and the entry holds for what the server served, 2xx and 304, as the evidence was)
   * @param fileType for an entry on every plain page of a type ({@link #pageType}), the type
   *     ({@code xhtml}); otherwise {@code null}
   * @param status the responses the entry holds for, as its clean sources had them, each
   *     class from two of them ({@code 2xx}; a page's entry: {@code 2xx, 304}); empty where the
   *     log has no status: an entry for a search box that answered its visitors 200 does not
   *     excuse an injection the application answered 500, nor one a firewall answered 403
   * @param requests attack requests the entry would have cleared
   * @param sources distinct clean addresses among them
   * @param examples up to three of the fragments it matched (attacker-controlled text)
   * @param inCookie whether {@code arg} names a cookie (the entry's {@code cookie:}): a consent
   *     manager's or an analytics cookie, sent with every request, trips CRS as a search box does
   */
  public record Proposal(String site, String rule, String tag, List<String> rules, String path,
      String arg, String fileType, List<String> status, long requests, int sources,
      List<String> examples, boolean inCookie, boolean inHeader) {
    /** An entry in a query argument, a cookie or the path: not in a header. */
    public Proposal(String site, String rule, String tag, List<String> rules, String path,
        String arg, String fileType, List<String> status, long requests, int sources,
        List<String> examples, boolean inCookie) {
      this(site, rule, tag, rules, path, arg, fileType, status, requests, sources, examples,
          inCookie, false);
    }
  }

  /**
   * Before a cookie's name where a query argument's name goes, within this class: no
   * argument's name holds {@code =} (the query is split there), nor does a cookie's.
   */
  private static final String COOKIE = "=";
  private static final String IN_COOKIE = Target.REQUEST_COOKIES.label() + ":";
  /**
   * Before a header's name (the Referer's, the only one proposed) where a query argument's name
   * goes: a cookie's name holds no {@code =} either, so no cookie is named so. Like a cookie's,
   * its entry is for every path: the Referer a site's own search sends with the click on each
   * result names the search, not the page clicked.
   */
  private static final String HEADER = COOKIE + "=";
  private static final String REFERER = HEADER + "referer";

  /** What a page's or a page type's entry holds for: pages served ({@link #servedPage}). */
  private static final List<String> SERVED = List.of("2xx", "304");

  /**
   * Where a source's flagged requests were: some arguments of one path of one site, or (with
   * {@code inPath}) that path's own name, and then the page's type when the rules matched that
   * alone ({@link #pageType}; {@code null} otherwise).
   */
  private record Place(String site, String path, Set<String> args, boolean inPath,
      PageType type) {}

  /**
   * A possible entry: on a site (or null when the log names none), a rule id, or {@code #} and a
   * tag; a path pattern (a page's, or a page type's: {@code type}) or null for all; an argument,
   * or null for the path's own name.
   */
  private record Candidate(String site, String name, String path, String arg, String type) {
    Candidate(String site, String name, String path, String arg) {
      this(site, name, path, arg, null);
    }
  }

  /**
   * A file type and the pattern of every plain page of it: segments of letters, digits and
   * {@code . _ ~ -} that do not begin with a dot (no {@code ..}, no hidden file), the last
   * ending in the type.
   */
  record PageType(String type, String pattern) {}

  /**
   * A followed address: its only place (null once it has been flagged anywhere else; for pages of
   * one type, the type alone, with no path).
   */
  private static final class Source {
    Place place;
    /**
     * Flagged requests; for a cookie only those whose matched text differs from the one before
     * ({@link #lastText}): a visitor's browser sends its consent cookie with every page, a
     * prober changes its payload.
     */
    int flagged;
    int lastText;
    /** Different requests nothing flagged, up to {@link #BROWSING} ({@link #sawTarget}). */
    int unflagged;
  }

  /** The requests a candidate would have cleared. */
  private static final class Evidence {
    long requests;
    /**
     * The different texts matched ({@link #matchedText}), up to minSources (by hash: a collision
     * only undercounts): free text varies from visitor to visitor, a campaign sends one payload
     * from many addresses.
     */
    final Set<Integer> texts = new HashSet<>();
    final Set<String> rules = new TreeSet<>();
    /**
     * The addresses, each with the response classes its requests had: bit k for kxx (1-5), bit 0
     * for a request with no status.
     */
    final Map<String, Integer> sources = new HashMap<>();
    final Set<String> paths = new HashSet<>();
    final Set<String> examples = new LinkedHashSet<>();
  }

  /**
   * Takes one judged request. A clean one notes that its address browses; a flagged one is
   * evidence only when the entries it would need can clear it, and otherwise marks its address.
   *
   * @param site the site the log names for the request (its virtual host), or {@code null}:
   *     entries are then proposed per site, and an address flagged on two sites is not clean
   */
  public void observe(Request request, Verdict verdict, String site) {
    if (!verdict.attack()) {
      browsing(request.clientIp(), request.target());
      return;
    }
    attacks++;
    String client = request.clientIp();
    Clearing c = clearing(request, verdict, site);
    int matched = matchedText(verdict);
    if (client == null || !follow(client, c == null ? null : c.place, matched) || c == null) {
      return;
    }
    int status = request.status();
    int statusBit = 1 << (status >= 100 && status < 600 ? status / 100 : 0);
    boolean named = c.place.inPath();
    if (c.argsByRule.size() == 1) {
      String id = c.argsByRule.keySet().iterator().next();
      add(c, id, named ? PAGE_NAME : c.argsByRule.get(id), client, matched, statusBit);
    }
    for (String tag : c.tags) {
      if (!named || !tag.equals(FREE_TEXT_TAG)) { // a page's name is no free text
        add(c, "#" + tag, named ? PAGE_NAME : c.place.args(), client, matched, statusBit);
      }
    }
  }

  /**
   * What the rules matched in a request, as one hash: the fragments of its scored matches, lower
   * case, in order. Free text trips rules on different words from visitor to visitor; a
   * campaign's payload trips them on the same words, whatever random token it carries beside.
   */
  private static int matchedText(Verdict verdict) {
    List<String> parts = new ArrayList<>();
    for (Match m : verdict.matches()) {
      if (m.attackClass() != null) {
        parts.add(m.fragment().toLowerCase(Locale.ROOT));
      }
    }
    parts.sort(null);
    return parts.hashCode();
  }

  /**
   * What would clear a flagged request: its rules' arguments, and the tags they all carry; the
   * request's path as entries on it name it (the place's, but for cookies, whose place is
   * every path: a browser sends them with every page).
   */
  private record Clearing(Place place, Map<String, Set<String>> argsByRule, Set<String> tags,
      List<String> fragments, String path) {}

  /**
   * How entries could clear a flagged request, or {@code null} when none can: a tool named, a
   * rule that scored outside the query arguments (or, for every rule, outside the path of a
   * plain page the server served: {@link #servedPage}), or rules no one entry covers (two rules
   * of no common family: what an attack trips). The cheap tests come first; asking which
   * arguments each rule trips runs the rules again, so only for a request that passed them.
   */
  private Clearing clearing(Request request, Verdict verdict, String site) {
    if (verdict.tool() != null) {
      return null; // an attack tool named: no visitor's request
    }
    Map<String, Rule> scored = new TreeMap<>();
    Map<String, String> firstArg = new HashMap<>();
    List<String> fragments = new ArrayList<>(EXAMPLES);
    int inPath = 0;
    for (Match m : verdict.matches()) {
      if (m.attackClass() == null) {
        continue; // a tool name scores nothing: nothing to excuse
      }
      String target = m.target();
      Rule r = detector.rule(m.ruleId());
      // an argument's value, or its name repeated (args_name_counts:ids[]): arg: names both
      String arg = target == null ? null : target.startsWith("args:") ? target.substring(5)
          : target.startsWith(REPEATED) ? target.substring(REPEATED.length())
          : target.startsWith(IN_COOKIE) ? COOKIE + target.substring(IN_COOKIE.length())
          : Target.inReferer(target) ? REFERER : null;
      if ("path".equals(target) && r != null) {
        inPath++;
      } else if (arg == null || arg.isEmpty() || r == null) {
        return null;
      }
      scored.put(m.ruleId(), r);
      firstArg.put(m.ruleId(), arg);
      if (fragments.size() < EXAMPLES) {
        String f = m.fragment();
        fragments.add(f.length() > EXAMPLE_CHARS ? f.substring(0, EXAMPLE_CHARS) : f);
      }
    }
    Set<String> common = null;
    for (Rule r : scored.values()) {
      Set<String> tags = new TreeSet<>();
      r.tags().stream()
          .filter(t -> t.startsWith("attack-") || freeText && t.equals(FREE_TEXT_TAG))
          .forEach(tags::add);
      if (common == null) {
        common = tags;
      } else {
        common.retainAll(tags);
      }
    }
    String path = pathPattern(request.path());
    if (common == null || path == null || scored.size() > 1 && common.isEmpty()
        || site != null && !printable(site)) { // a Host header is the client's to write
      return null;
    }
    if (inPath > 0) {
      // every rule in the page's own name, and nothing left once the name is gone
      // several rules in a name must share a family: all of CRS is never excused in a name
      boolean family = common.stream().anyMatch(t -> t.startsWith("attack-"));
      if (inPath < scored.size() || !servedPage(request) || scored.size() > 1 && !family) {
        return null;
      }
      for (Rule r : scored.values()) {
        if (detector.matchesWithout(r, request, Set.of(), true, false)) {
          return null;
        }
      }
      Map<String, Set<String>> none = new TreeMap<>();
      scored.keySet().forEach(id -> none.put(id, Set.of()));
      return new Clearing(new Place(site, path, Set.of(), true, pageType(request, verdict)),
          none, common, fragments, path);
    }
    // every argument each rule trips on, and only those: the entries must clear the request
    Map<String, Set<String>> argsByRule = new TreeMap<>();
    Set<String> all = new TreeSet<>();
    for (Map.Entry<String, Rule> e : scored.entrySet()) {
      Set<String> args = new TreeSet<>(detector.argsTripping(e.getValue(), request));
      detector.cookiesTripping(e.getValue(), request).forEach(c -> args.add(COOKIE + c));
      args.add(firstArg.get(e.getKey()));
      if (!args.stream().allMatch(a -> printable(bare(a)))) {
        return null;
      }
      if (matchesWithout(e.getValue(), request, args)) {
        if (args.contains(REFERER)) {
          return null;
        }
        args.add(REFERER); // a search after a search: the rule trips on the Referer's text too
        if (matchesWithout(e.getValue(), request, args)) {
          return null;
        }
      }
      argsByRule.put(e.getKey(), args);
      all.addAll(args);
    }
    boolean cookies = all.stream().allMatch(a -> a.startsWith(COOKIE));
    return new Clearing(new Place(site, cookies ? null : path, Set.copyOf(all), false, null),
        argsByRule, common, fragments, path);
  }

  private static final String REPEATED = Target.ARGS_NAME_COUNTS.label() + ":";

  /** An argument's name; a cookie's without {@link #COOKIE}, a header's without {@link #HEADER}. */
  private static String bare(String arg) {
    return arg.startsWith(HEADER) ? arg.substring(HEADER.length())
        : arg.startsWith(COOKIE) ? arg.substring(COOKIE.length()) : arg;
  }


  /** Whether rule {@code r} still matches with these arguments and cookies taken out. */
  private boolean matchesWithout(Rule r, Request request, Set<String> argsAndCookies) {
    Set<String> args = new HashSet<>();
    Set<String> cookies = new HashSet<>();
    Set<String> headers = new HashSet<>();
    for (String a : argsAndCookies) {
      (a.startsWith(HEADER) ? headers : a.startsWith(COOKIE) ? cookies : args).add(bare(a));
    }
    Request without = cookies.isEmpty() ? request : detector.withoutCookies(request, cookies);
    return detector.matchesWithout(r,
        headers.isEmpty() ? without : Detector.withoutHeaders(without, headers), args);
  }

  /**
   * Whether a request is for a page the server served whose name is plain: letters, digits and
   * {@code . _ ~ - /}, no {@code ..} and no empty segment, with a 2xx or 304 status. Only there
   * may a rule's match in the path be a page's own name rather than a probe (a traversal needs
   * {@code ..} or encoding; a probe for {@code /.env} is answered 404).
   */
  static boolean servedPage(Request request) {
    String p = request.path();
    int status = request.status();
    if (p == null || p.isEmpty() || p.charAt(0) != '/' || p.contains("..") || p.contains("//")
        || !(status >= 200 && status < 300 || status == 304)) {
      return false;
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "._~-/".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The type of a served plain page ({@link #servedPage}) when every scored match is within its
   * name's type ({@code .xhtml} of {@code /a/b.xhtml}: the path ends with the fragment, no longer
   * than the dot and the type), or {@code null}: only then does the rule object to the type
   * rather than to one name (930130's {@code config.py} is a name).
   */
  static PageType pageType(Request request, Verdict verdict) {
    String p = request.path();
    int slash = p.lastIndexOf('/');
    int dot = p.lastIndexOf('.');
    int n = p.length() - dot - 1;
    if (dot <= slash + 1 || n < 1 || n > 16) {
      return null; // no type, a hidden file's name, or no name before the type
    }
    String type = p.substring(dot + 1);
    if (!type.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9')) {
      return null;
    }
    for (Match m : verdict.matches()) {
      String f = m.fragment();
      if (m.attackClass() != null && (f.isEmpty() || f.length() > n + 1
          || !p.regionMatches(true, p.length() - f.length(), f, 0, f.length()))) {
        return null;
      }
    }
    String name = "[A-Za-z0-9_~-][A-Za-z0-9._~-]*";
    return new PageType(type, "^(/" + name + ")*/" + name + "\\." + type + "$");
  }

  /**
   * Counts a request as evidence for an entry in each argument (or the path's name: a
   * {@code null} argument), on its path and, for an argument, on all.
   */
  private void add(Clearing clearing, String name, Set<String> args, String client, int matched,
      int statusBit) {
    Place place = clearing.place();
    Set<String> ids = clearing.argsByRule().keySet();
    List<String> fragments = clearing.fragments();
    String path = clearing.path();
    PageType type = place.type();
    String site = place.site();
    for (String arg : args) {
      List<Candidate> entries = arg != null && place.path() == null // a cookie: every path
          ? List.of(new Candidate(site, name, null, arg))
          : arg != null
          ? List.of(new Candidate(site, name, path, arg), new Candidate(site, name, null, arg))
          : type == null ? List.of(new Candidate(site, name, path, null))
          : List.of(new Candidate(site, name, path, null),
              new Candidate(site, name, type.pattern(), null, type.type()));
      for (Candidate c : entries) {
        Evidence e = candidates.get(c);
        if (e == null) {
          if (candidates.size() >= maxCandidates) {
            droppedCandidates++;
            continue;
          }
          e = new Evidence();
          candidates.put(c, e);
          if (type != null && c.type() == null) {
            typeOfPage.put(path, type.pattern());
          }
        }
        e.requests++;
        if (e.texts.size() < minSources) { // an entry needs this many, no more
          e.texts.add(arg == null ? path.hashCode() : matched);
        }
        e.rules.addAll(ids);
        if (e.paths.size() < minSources) { // an entry on every path or page type needs as many
          e.paths.add(path);
        }
        if (e.sources.size() < MAX_SOURCES_PER_CANDIDATE || e.sources.containsKey(client)) {
          e.sources.merge(client, statusBit, (a, b) -> a | b);
        }
        for (String f : fragments) {
          if (e.examples.size() < EXAMPLES) {
            e.examples.add(f);
          }
        }
      }
    }
  }

  /**
   * Records where a source was flagged ({@code null}: somewhere no entry is proposed for).
   * Returns whether the source is followed.
   */
  private boolean follow(String client, Place place, int matched) {
    Source s = sources.get(client);
    if (s == null) {
      if (sources.size() >= maxSources) {
        unfollowed++;
        return false;
      }
      s = new Source();
      s.place = place;
      Integer before = browsers.remove(client);
      s.unflagged = before == null ? 0 : before;
      sources.put(client, s);
    } else if (s.place != null && !s.place.equals(place)) {
      // a reader of several pages of one type is clean for the type's entry, for no page's
      s.place = place != null && place.type() != null && place.type().equals(s.place.type())
          && Objects.equals(place.site(), s.place.site())
          ? new Place(place.site(), null, Set.of(), true, place.type()) : null;
    }
    boolean cookie = s.place != null && s.place.path() == null && !s.place.inPath();
    if (s.flagged == 0 || s.lastText != matched || !cookie) {
      s.flagged++;
    }
    s.lastText = matched;
    return true;
  }

  /** Notes an address that made a request nothing flagged. */
  private void browsing(String client, String target) {
    if (client == null) {
      return;
    }
    Source s = sources.get(client);
    if (s != null) {
      s.unflagged = sawTarget(s.unflagged, target);
    } else if (browsers.containsKey(client) || browsers.size() < maxSources) {
      // before its first flagged request, if one comes
      browsers.put(client, sawTarget(browsers.getOrDefault(client, 0), target));
    }
  }

  /**
   * Up to {@link #BROWSING} different request targets, packed in an int: how many in the low two
   * bits, then a 10-bit hash of each. A bot that asks for the home page three times has made one
   * request, not three; two targets of one hash count once, which can only withhold an entry.
   */
  static int sawTarget(int packed, String target) {
    int n = packed & 3;
    if (n >= BROWSING) {
      return packed;
    }
    int h = (target == null ? 0 : target.hashCode()) * 0x9E3779B9 >>> 22;
    for (int i = 0; i < n; i++) {
      if ((packed >>> (2 + 10 * i) & 0x3FF) == h) {
        return packed;
      }
    }
    return (packed & ~3) | h << (2 + 10 * n) | (n + 1);
  }

  /**
   * Whether a flagged address browsed too: made {@link #BROWSING} different requests nothing
   * flagged, as a visitor's page, styles and scripts are. A scanner that asks for the home page
   * first makes one.
   */
  private boolean browsed(String client) {
    Source s = sources.get(client);
    return s != null && (s.unflagged & 3) >= BROWSING;
  }

  /** Whether a source's every flagged request was in this place, and there were few. */
  private boolean clean(String client, Candidate c) {
    Source s = sources.get(client);
    return s != null && s.place != null && s.flagged <= MAX_FLAGGED_PER_SOURCE
        && (c.arg() == null ? s.place.inPath() : s.place.args().contains(c.arg()))
        && Objects.equals(s.place.site(), c.site())
        && (c.path() == null || c.path().equals(s.place.path())
            || c.type() != null && s.place.type() != null
                && s.place.type().pattern().equals(c.path()));
  }

  /** The entries the evidence supports (see the class comment), the most requests first. */
  public List<Proposal> proposals() {
    return select(null);
  }

  /**
   * The proposals, and the entries the evidence supports with fewer addresses than this run
   * asks (at least two), the best supported first, at most {@link #MAX_WEAKER}, none that a
   * proposal covers: shown to the user, never proposed, as a site that knows its search box
   * may take one, but a campaign of that many addresses could have given the same evidence.
   * One pass over the candidates gives both.
   */
  public Selection selection() {
    List<Weaker> weaker = new ArrayList<>();
    return new Selection(select(weaker), weaker);
  }

  /** What {@link #selection} found. */
  public record Selection(List<Proposal> proposals, List<Weaker> weaker) {}

  /** Weaker entries listed at most. */
  public static final int MAX_WEAKER = 30;

  /**
   * An entry short of the evidence asked for.
   *
   * @param minSources the {@code --min-sources} with which it would have been proposed
   * @param shortOf what it had too few of: clean sources, different texts (nor as many clean
   *     sources that browse), or paths, for an entry on every path
   */
  public record Weaker(Proposal proposal, int minSources, String shortOf) {}

  /** The proposals; weaker ones (below {@code minSources}) into {@code weaker} if not null. */
  private List<Proposal> select(List<Weaker> weaker) {
    // broadest first: an entry is kept when it qualifies and no kept entry covers it
    List<Candidate> order = new ArrayList<>(candidates.keySet());
    order.sort(Comparator.comparing((Candidate c) -> c.site() == null ? "" : c.site())
        .thenComparing(c -> c.path() != null)
        .thenComparing(c -> c.type() == null) // a page type's entry before its pages'
        .thenComparing(c -> !c.name().equals(FREE_TEXT)) // free text before CRS's families
        .thenComparing(c -> !c.name().startsWith("#"))
        .thenComparing(Candidate::name)
        .thenComparing(Candidate::arg, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(c -> c.path() == null ? "" : c.path()));
    Map<At, List<Candidate>> kept = new HashMap<>();
    List<Proposal> out = new ArrayList<>();
    Map<At, List<Candidate>> shown = new HashMap<>(); // weaker entries listed
    Map<Candidate, Integer> shownSupport = new HashMap<>();
    for (Candidate c : order) {
      Evidence e = candidates.get(c);
      int clean = 0;
      int browsing = 0;
      int[] bySources = new int[6]; // clean sources with each response class
      for (Map.Entry<String, Integer> s : e.sources.entrySet()) {
        if (clean(s.getKey(), c)) {
          clean++;
          browsing += browsed(s.getKey()) ? 1 : 0;
          for (int k = 0; k < bySources.length; k++) {
            bySources[k] += s.getValue() >> k & 1;
          }
        }
      }
      int support = support(c, e, clean, browsing);
      if (support < 2 || covered(kept, c, k -> true)) {
        continue;
      }
      boolean tag = c.name().startsWith("#");
      boolean header = c.arg() != null && c.arg().startsWith(HEADER);
      boolean cookie = !header && c.arg() != null && c.arg().startsWith(COOKIE);
      Proposal p = new Proposal(c.site(), tag ? null : c.name(),
          tag ? c.name().substring(1) : null, List.copyOf(e.rules), c.path(),
          header ? "Referer" : cookie ? bare(c.arg()) : c.arg(), c.type(),
          c.arg() == null ? SERVED : statusClasses(bySources), e.requests, clean,
          List.copyOf(e.examples), cookie, header);
      if (support >= minSources) {
        kept.computeIfAbsent(At.of(c), a -> new ArrayList<>()).add(c);
        out.add(p);
      } else if (weaker != null
          && !covered(shown, c, w -> shownSupport.get(w) >= support)) {
        shown.computeIfAbsent(At.of(c), a -> new ArrayList<>()).add(c);
        shownSupport.put(c, support);
        int texts = Math.max(e.texts.size(), browsing);
        weaker.add(new Weaker(p, support, clean == support ? "clean sources"
            : c.type() != null ? "pages"
            : c.name().equals(FREE_TEXT) && browsing == support ? "clean sources that browse"
            : texts == support ? "different texts" : "paths"));
      }
    }
    Comparator<Proposal> bySite = Comparator.comparing(p -> p.site() == null ? "" : p.site());
    Comparator<Proposal> rest = Comparator.comparing((Proposal p) -> p.rules().get(0))
        .thenComparing(p -> p.path() == null ? "" : p.path())
        .thenComparing(Proposal::arg, Comparator.nullsFirst(Comparator.naturalOrder()));
    out.sort(bySite.thenComparing(Comparator.comparingLong(Proposal::requests).reversed())
        .thenComparing(rest));
    if (weaker != null) {
      weaker.sort(Comparator.comparingInt(Weaker::minSources).reversed()
          .thenComparing(Weaker::proposal, Comparator.comparingLong(Proposal::requests)
              .reversed().thenComparing(bySite).thenComparing(rest)));
      if (weaker.size() > MAX_WEAKER) {
        weaker.subList(MAX_WEAKER, weaker.size()).clear();
      }
    }
    return out;
  }

  /**
   * The largest {@code --min-sources}, up to this run's, at which the evidence supports an
   * entry (0: none): that many clean sources, with as many different texts or browsing clean
   * sources, on as many paths for an entry on every path, or as many different pages for an
   * entry on a page type; an entry by tag needs two of its rules tripped, one on every path two
   * different fragments.
   */
  private int support(Candidate c, Evidence e, int clean, int browsing) {
    if (c.name().startsWith("#") && e.rules.size() < 2
        || c.path() == null && e.examples.size() < 2) {
      return 0;
    }
    if (c.type() != null) { // the pages are its texts; one page, however read, is not a type
      return Math.min(Math.min(clean, e.paths.size()), minSources);
    }
    // one text from many addresses is free text only when they are visitors, who browse;
    // a botnet's addresses send the payload and nothing else
    int k = Math.min(clean, Math.max(e.texts.size(), browsing));
    if (c.name().equals(FREE_TEXT)) {
      // many families from visitors who browse, not one payload's: a field people write in
      if (families(e.rules, detector).size() < FREE_TEXT_FAMILIES) {
        return 0;
      }
      k = Math.min(k, browsing);
    }
    if (c.path() == null) {
      k = Math.min(k, e.paths.size());
    }
    return Math.min(k, minSources);
  }

  /** The CRS families ({@code attack-} tags) of these rules, in order. */
  public static Set<String> families(java.util.Collection<String> ids, Detector detector) {
    Set<String> tags = new TreeSet<>();
    for (String id : ids) {
      Rule r = detector.rule(id);
      if (r != null) {
        r.tags().stream().filter(t -> t.startsWith("attack-")).forEach(tags::add);
      }
    }
    return tags;
  }

  /** Where an entry excuses: the entries that may cover a candidate are found by this. */
  private record At(String site, String arg, String path) {
    static At of(Candidate c) {
      return new At(c.site(), c.arg(), c.path());
    }
  }

  /**
   * Whether an entry of {@code entries} that passes {@code which} covers {@code c}: one in the
   * same argument of the same site, on every path or on {@code c}'s (a lookup, not a scan of
   * every entry: a large log has many thousands of possible ones).
   */
  private boolean covered(Map<At, List<Candidate>> entries, Candidate c,
      java.util.function.Predicate<Candidate> which) {
    String type = c.arg() == null ? typeOfPage.get(c.path()) : null;
    for (String path : c.path() == null ? new String[] {null}
        : type == null ? new String[] {null, c.path()} : new String[] {c.path(), type}) {
      for (Candidate k : entries.getOrDefault(new At(c.site(), c.arg(), path), List.of())) {
        if (which.test(k) && covers(k, c)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a kept entry excuses everything a candidate would. */
  private boolean covers(Candidate wide, Candidate c) {
    if (!Objects.equals(wide.arg(), c.arg()) || !Objects.equals(wide.site(), c.site())
        || wide.path() != null && !wide.path().equals(c.path())
            && !(wide.type() != null && wide.path().equals(typeOfPage.get(c.path())))) {
      return false;
    }
    // a broader entry's evidence holds the narrower's requests and clean sources, so its
    // statuses too (but where each of a narrower entry's classes came from one source alone)
    if (wide.name().equals(c.name())) {
      return true;
    }
    if (!wide.name().startsWith("#")) {
      return false;
    }
    String tag = wide.name().substring(1);
    for (String id : candidates.get(c).rules) {
      Rule r = detector.rule(id);
      if (r == null || !r.tags().contains(tag)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The response classes an entry holds for, from how many clean sources had each (index k for
   * kxx, 0 for no status): those that two or more had, so that one visitor's 500 does not
   * excuse every injection the application fails on; all they had when no class reached two;
   * none (no condition) when a request had no status, as the log did not say. The requests of
   * addresses that are not clean count for nothing here either.
   */
  private static List<String> statusClasses(int[] bySources) {
    if (bySources[0] > 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int least : new int[] {2, 1}) {
      for (int k = 1; k <= 5; k++) {
        if (bySources[k] >= least) {
          out.add(k + "xx");
        }
      }
      if (!out.isEmpty()) {
        break;
      }
    }
    return List.copyOf(out);
  }

  /** Attack requests observed. */
  public long attacks() {
    return attacks;
  }

  /** Attack requests from addresses past {@link #MAX_SOURCES}: they supported nothing. */
  public long unfollowed() {
    return unfollowed;
  }

  /** Possible entries not kept because {@link #MAX_CANDIDATES} were already. */
  public long droppedCandidates() {
    return droppedCandidates;
  }

  /**
   * The path as an anchored RE2 pattern: segments of digits, and hexadecimal ids of eight or
   * more characters with a digit in them, become classes; everything else is literal.
   * {@code null} for a path that is not printable ASCII (no entry is proposed for it).
   */
  static String pathPattern(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/' || !printable(path)) {
      return null;
    }
    StringBuilder b = new StringBuilder("^");
    for (String segment : path.substring(1).split("/", -1)) {
      b.append('/');
      if (!segment.isEmpty() && segment.chars().allMatch(c -> c >= '0' && c <= '9')) {
        b.append("[0-9]+");
      } else if (segment.length() >= 8 && segment.chars().anyMatch(c -> c >= '0' && c <= '9')
          && segment.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '-')) {
        b.append("[0-9a-fA-F-]+");
      } else {
        for (int i = 0; i < segment.length(); i++) {
          char c = segment.charAt(i);
          if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
            b.append('\\');
          }
          b.append(c);
        }
      }
    }
    return b.append('$').toString();
  }

  /** Printable ASCII only: what a proposal writes into a rule file must not carry a line break. */
  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /** How many addresses are followed (for tests of the bound). */
  int followedSources() {
    return sources.size();
  }
}
