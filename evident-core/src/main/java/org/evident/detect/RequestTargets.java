package org.evident.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evident.log.Header;
import org.evident.log.HeaderField;
import org.evident.log.Request;

/**
 * The raw values of each {@link Target} of one request; query arguments split once, lazily, and
 * at most {@link #MAX_ARGS} of them (a request with more is judged on its first ones; its raw
 * query is still judged as a whole).
 */
final class RequestTargets {
  static final int MAX_ARGS = 1_000;
  /** How ModSecurity's parser hands a rule an argument: decoded once. */
  private static final Transformation ARGUMENT = UrlDecodeUni.argumentParser();

  private final Request request;
  /** Split off the target on first use: a request the line cache answers never needs them. */
  private String path;
  private String query;
  private boolean targetSplit;
  private List<String> names;
  private List<String> values;
  /** For {@link Target#ARGS_NAME_COUNTS}: each distinct name (as compared) and its count. */
  private List<String> countedNames;
  private List<String> counts;
  /** {@link Target#REQUEST_HEADERS}, {@link Target#REQUEST_COOKIES}: made on first use. */
  private List<String> headerNames;
  private List<String> headerValues;
  private List<String> cookieNames;
  private List<String> cookieValues;
  private List<String> sentNames;
  /** {@link Target#REFERER_URL}: its parts and their names (null for a part without one). */
  private List<String> refererParts;
  private List<String> refererNames;

  /** Stands in for a Host header the log did not keep (chained conditions compare with it). */
  private final String site;

  RequestTargets(Request request) {
    this(request, null);
  }

  RequestTargets(Request request, String site) {
    this.request = request;
    this.site = site;
  }

  private void splitTarget() {
    if (targetSplit) {
      return;
    }
    targetSplit = true;
    String t = request.target();
    int q = t == null ? -1 : t.indexOf('?');
    path = q < 0 ? t : t.substring(0, q);
    query = q < 0 ? null : t.substring(q + 1);
  }

  /**
   * How many values a target has. With {@link #get}, what the detector's loop reads: no list
   * is made per target and request.
   */
  int size(Target t) {
    if (t == Target.ARGS || t == Target.ARGS_NAMES) {
      split();
      return values.size();
    }
    if (t.ordinal() >= Target.REQUEST_HEADERS.ordinal()
        && t.ordinal() <= Target.REQUEST_COOKIES_NAMES.ordinal()) {
      return values(t).size();
    }
    if (t == Target.ARGS_NAME_COUNTS) {
      count();
      return counts.size();
    }
    if (t == Target.REFERER_URL) {
      return refererParts().size();
    }
    if (t == Target.HEADERS_NOT_SENT) {
      return notSent().size();
    }
    if (t == Target.REQUEST_LINE) { // counted without building it: get() builds it once
      return request.method() == null || request.target() == null ? 0 : 1;
    }
    return single(t) == null ? 0 : 1;
  }

  /** Value {@code i} of a target, {@code 0 <= i < size(t)}. */
  String get(Target t, int i) {
    return switch (t) {
      case ARGS -> values.get(i);
      case ARGS_NAMES -> names.get(i);
      case ARGS_NAME_COUNTS -> counts.get(i);
      case HEADERS_NOT_SENT -> notSent().get(i);
      case REFERER_URL -> refererParts().get(i);
      case REQUEST_HEADERS, REQUEST_HEADERS_NAMES, REQUEST_COOKIES, REQUEST_COOKIES_NAMES ->
          values(t).get(i);
      default -> single(t);
    };
  }

  /**
   * The name of value {@code i} of a target whose values have names
   * ({@link Target#hasNamedValues}): the argument's as the query has it, the header's, the
   * cookie's; for {@link Target#ARGS_NAME_COUNTS}, the name counted.
   */
  String name(Target t, int i) {
    return switch (t) {
      case ARGS -> names.get(i);
      case ARGS_NAME_COUNTS -> countedName(i);
      case REFERER_URL -> {
        refererParts();
        yield refererNames.get(i);
      }
      case REQUEST_HEADERS -> headerNames.get(i);
      case REQUEST_COOKIES -> cookieNames.get(i);
      default -> throw new IllegalArgumentException(t.name());
    };
  }

  /**
   * The names of a target's values, one per value, for a target a rule may read by name
   * ({@link Target#selectable}); for a target of names, the names themselves.
   */
  List<String> names(Target t) {
    return switch (t) {
      case ARGS, ARGS_NAMES -> values(Target.ARGS_NAMES);
      case REQUEST_HEADERS -> {
        headers();
        yield headerNames;
      }
      case REQUEST_COOKIES, REQUEST_COOKIES_NAMES -> {
        cookies();
        yield cookieNames;
      }
      default -> throw new IllegalArgumentException(t.name());
    };
  }

  /** The value of a target that has at most one, or null. */
  private String single(Target t) {
    return switch (t) {
      case URI -> request.target();
      case PATH -> {
        splitTarget();
        yield path;
      }
      case QUERY -> {
        splitTarget();
        yield query;
      }
      case METHOD -> request.method();
      case PROTOCOL -> request.protocol();
      case USER_AGENT -> request.userAgent();
      case REFERER -> request.referer();
      case HOST -> request.host() != null ? request.host() : site;
      case REQUEST_LINE -> request.method() == null || request.target() == null ? null
          : request.method() + " " + request.target() + (request.protocol() == null
              || request.protocol().equals("HTTP/0.9") ? "" : " " + request.protocol());
      case BASENAME -> {
        splitTarget();
        yield path == null ? null : path.substring(path.lastIndexOf('/') + 1);
      }
      case ARGS_COUNT -> {
        split();
        yield Integer.toString(values.size());
      }
      case ARGS_COMBINED_SIZE -> {
        split();
        long size = 0;
        for (int i = 0; i < values.size(); i++) {
          size += ARGUMENT.apply(names.get(i)).length() + ARGUMENT.apply(values.get(i)).length();
        }
        yield Long.toString(size);
      }
      case ARGS, ARGS_NAMES, ARGS_NAME_COUNTS, HEADERS_NOT_SENT, REQUEST_HEADERS,
          REQUEST_HEADERS_NAMES, REQUEST_COOKIES, REQUEST_COOKIES_NAMES, REFERER_URL ->
          throw new IllegalArgumentException(t.name());
    };
  }

  /** Every value of a target, as a list (for the rare paths: chains, allow-lists). */
  List<String> values(Target t) {
    switch (t) {
      case ARGS, ARGS_NAMES -> {
        split();
        return t == Target.ARGS ? values : names;
      }
      case ARGS_NAME_COUNTS -> {
        count();
        return counts;
      }
      case HEADERS_NOT_SENT -> {
        return notSent();
      }
      case REFERER_URL -> {
        return refererParts();
      }
      case REQUEST_HEADERS -> {
        headers();
        return headerValues;
      }
      case REQUEST_HEADERS_NAMES -> {
        return sentNames();
      }
      case REQUEST_COOKIES, REQUEST_COOKIES_NAMES -> {
        cookies();
        return t == Target.REQUEST_COOKIES ? cookieValues : cookieNames;
      }
      default -> {
        String v = single(t);
        return v == null ? List.of() : List.of(v);
      }
    }
  }

  /**
   * The values of a target that {@code selector} reads: for a target a rule may read by name
   * ({@link Target#selectable}), those of the arguments, headers or cookies it names; for other
   * targets, all.
   */
  List<String> values(Target t, ArgumentSelector selector) {
    List<String> all = values(t);
    if (selector.all() || !t.selectable()) {
      return all;
    }
    List<String> byName = names(t);
    List<String> out = new ArrayList<>(1);
    for (int i = 0; i < byName.size(); i++) {
      if (selector.selects(byName.get(i))) {
        out.add(all.get(i));
      }
    }
    return out;
  }

  /**
   * The first value of the argument named {@code name} (decoded once, any case, as
   * {@link ArgumentSelector} compares), or null: what a macro {@code %{ARGS.name}} expands to.
   */
  String argument(String name) {
    split();
    String wanted = name.toLowerCase(java.util.Locale.ROOT);
    for (int i = 0; i < names.size(); i++) {
      if (ArgumentSelector.name(names.get(i)).equals(wanted)) {
        return values.get(i);
      }
    }
    return null;
  }

  /** The Referer as logged, or null. */
  String referer() {
    return request.referer();
  }

  /**
   * {@link Target#REFERER_URL}: a Referer without {@code ?} is one part, itself (no list made:
   * nearly every Referer); one with a query, the part before it, then per argument its value
   * (named by it; for a pair without {@code =}, the pair, unnamed) and its name when that is
   * not a plain word ({@link #plainName}), unnamed. Empty parts are left out: there is nothing
   * in them to judge, and an empty Referer is {@link Target#REFERER}'s. At most
   * {@link #MAX_ARGS} arguments, as for the request's own.
   */
  private List<String> refererParts() {
    if (refererParts != null) {
      return refererParts;
    }
    String r = request.referer();
    int q = r == null ? -1 : r.indexOf('?');
    if (q < 0) {
      refererParts = r == null || r.isEmpty() ? List.of() : List.of(r);
      refererNames = refererParts.isEmpty() ? List.of() : NO_NAME;
      return refererParts;
    }
    refererParts = new ArrayList<>();
    refererNames = new ArrayList<>();
    if (q > 0) {
      part(r.substring(0, q), null);
    }
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    pairs(r, q + 1, names, values, null);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (values.get(i) == null) {
        part(name, null); // no '=': the pair whole
      } else {
        part(values.get(i), name);
        if (!plainName(name)) {
          part(name, null);
        }
      }
    }
    return refererParts;
  }

  private static final List<String> NO_NAME = java.util.Collections.singletonList(null);

  private void part(String value, String name) {
    if (!value.isEmpty()) {
      refererParts.add(value);
      refererNames.add(name);
    }
  }

  /**
   * Whether an argument's name is a plain word ({@code q}, {@code utm_source},
   * {@code filter[color]}), which no rule would flag: only others are judged as parts.
   */
  private static boolean plainName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
          || c == '-' || c == '.' || c == '[' || c == ']')) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@link Target#HEADERS_NOT_SENT}: for a log that holds no other headers, one of eight shared
   * lists, so no request makes one.
   */
  private List<String> notSent() {
    List<String> named = NOT_SENT_LISTS.get(notSentBits(request));
    List<String> others = othersNotSent(request);
    if (others.isEmpty()) {
      return named;
    }
    List<String> all = new ArrayList<>(named);
    all.addAll(others);
    return all;
  }

  /** The other headers the log holds that the request did not send, by name. */
  static List<String> othersNotSent(Request request) {
    List<String> out = List.of();
    for (HeaderField h : request.otherHeaders()) {
      if (h.value() == null) {
        if (out.isEmpty()) {
          out = new ArrayList<>(2);
        }
        out.add(h.name());
      }
    }
    return out;
  }

  /**
   * {@link Target#REQUEST_HEADERS}: the other headers sent, and the X-Forwarded-For, which a
   * request's record names apart for the proxies it passed.
   */
  private void headers() {
    if (headerNames != null) {
      return;
    }
    List<HeaderField> others = request.otherHeaders();
    if (others.isEmpty() && request.forwardedFor() == null) {
      headerNames = List.of();
      headerValues = List.of();
      return;
    }
    headerNames = new ArrayList<>(others.size() + 1);
    headerValues = new ArrayList<>(others.size() + 1);
    for (HeaderField h : others) {
      if (h.value() != null) {
        headerNames.add(h.name());
        headerValues.add(h.value());
      }
    }
    if (request.forwardedFor() != null) {
      headerNames.add("x-forwarded-for");
      headerValues.add(request.forwardedFor());
    }
  }

  /**
   * {@link Target#REQUEST_HEADERS_NAMES}: the headers the request is known to have sent (a
   * Host only where the log holds the header itself, not a server's name).
   */
  private List<String> sentNames() {
    if (sentNames != null) {
      return sentNames;
    }
    headers();
    List<String> named = NOT_SENT_LISTS.get(sentBits(request)); // the same names, here sent
    if (headerNames.isEmpty()) {
      sentNames = named; // most logs: no other header, so no list made per request
      return named;
    }
    List<String> out = new ArrayList<>(named.size() + headerNames.size());
    out.addAll(named);
    out.addAll(headerNames);
    sentNames = out;
    return out;
  }

  /**
   * Which of the User-Agent, Referer and Host a request is known to have sent, as bits (1, 2,
   * 4): for a request with no other header (nor X-Forwarded-For), the index of its
   * {@link Target#REQUEST_HEADERS_NAMES} in {@link #NOT_SENT_LISTS}.
   */
  static int sentBits(Request request) {
    return (request.userAgent() != null ? 1 : 0) | (request.referer() != null ? 2 : 0)
        | (request.host() != null && request.headers().contains(Header.HOST) ? 4 : 0);
  }

  /** Whether {@link Target#REQUEST_HEADERS_NAMES} is one of {@link #NOT_SENT_LISTS}. */
  static boolean onlyNamedHeaders(Request request) {
    return request.otherHeaders().isEmpty() && request.forwardedFor() == null;
  }

  /**
   * {@link Target#REQUEST_COOKIES} and their names, from each Cookie header held: pairs split
   * at {@code ;}, a name before the first {@code =} (a pair without one is a name with an empty
   * value), leading spaces dropped, nothing decoded, as ModSecurity's cookie parser reads them.
   */
  private void cookies() {
    if (cookieNames != null) {
      return;
    }
    cookieNames = List.of();
    cookieValues = List.of();
    for (HeaderField h : request.otherHeaders()) {
      if (!h.name().equals("cookie") || h.value() == null) {
        continue;
      }
      if (cookieNames.isEmpty()) {
        cookieNames = new ArrayList<>();
        cookieValues = new ArrayList<>();
      }
      for (String pair : h.value().split(";")) {
        String p = pair.stripLeading();
        if (p.isEmpty() || cookieNames.size() >= MAX_ARGS) {
          continue;
        }
        int eq = p.indexOf('=');
        cookieNames.add(eq < 0 ? p : p.substring(0, eq));
        cookieValues.add(eq < 0 ? "" : p.substring(eq + 1));
      }
    }
  }

  /**
   * {@link Target#HEADERS_NOT_SENT} as bits, the index of its value in {@link #NOT_SENT_LISTS}:
   * the User-Agent 1, the Referer 2, the Host 4.
   */
  static int notSentBits(Request request) {
    java.util.Set<Header> held = request.headers();
    if (held.isEmpty()) {
      return 0;
    }
    boolean agent = request.userAgent() == null && held.contains(Header.USER_AGENT);
    boolean referer = request.referer() == null && held.contains(Header.REFERER);
    boolean host = request.host() == null && held.contains(Header.HOST);
    return (agent ? 1 : 0) | (referer ? 2 : 0) | (host ? 4 : 0);
  }

  /**
   * Every value {@link Target#HEADERS_NOT_SENT} can have, by {@link #notSentBits}; by the same
   * bits, the names of the three headers a request sent ({@link Target#REQUEST_HEADERS_NAMES}).
   */
  static final List<List<String>> NOT_SENT_LISTS = List.of(List.of(),
      List.of("user-agent"), List.of("referer"), List.of("user-agent", "referer"),
      List.of("host"), List.of("user-agent", "host"), List.of("referer", "host"),
      List.of("user-agent", "referer", "host"));

  /** The argument name {@link Target#ARGS_NAME_COUNTS}'s value {@code i} counts, as compared. */
  String countedName(int i) {
    count();
    return countedNames.get(i);
  }

  private void count() {
    if (counts != null) {
      return;
    }
    split();
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (String n : names) {
      byName.merge(ArgumentSelector.name(n), 1, Integer::sum);
    }
    countedNames = List.copyOf(byName.keySet());
    counts = byName.values().stream().map(String::valueOf).toList();
  }

  private void split() {
    if (values != null) {
      return;
    }
    splitTarget();
    String q = query;
    if (q == null || q.isEmpty()) {
      names = List.of();
      values = List.of();
      return;
    }
    names = new ArrayList<>();
    values = new ArrayList<>();
    pairs(q, 0, names, values, "");
  }

  /**
   * Splits {@code s} from {@code from} on, at {@code &}, into names and values, as ModSecurity's
   * argument parser does: empty pairs skipped, a pair without {@code =} a name whose value is
   * {@code noValue}, at most {@link #MAX_ARGS} pairs, nothing decoded.
   */
  private static void pairs(String s, int from, List<String> names, List<String> values,
      String noValue) {
    int start = from;
    int n = s.length();
    while (start < n && names.size() < MAX_ARGS) {
      int amp = s.indexOf('&', start);
      if (amp < 0) {
        amp = n;
      }
      if (amp > start) {
        int eq = s.indexOf('=', start);
        if (eq < 0 || eq > amp) {
          names.add(s.substring(start, amp));
          values.add(noValue);
        } else {
          names.add(s.substring(start, eq));
          values.add(s.substring(eq + 1, amp));
        }
      }
      start = amp + 1;
    }
  }
}
