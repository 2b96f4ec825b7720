package org.evident.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evident.log.Header;
import org.evident.log.Request;

/**
 * The raw values of each {@link Target} of one request; query arguments split once, lazily, and
 * at most {@link #MAX_ARGS} of them (a request with more is judged on its first ones; its raw
 * query is still judged as a whole).
 */
final class RequestTargets {
  static final int MAX_ARGS = 1_000;

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
    if (t == Target.ARGS_NAME_COUNTS) {
      count();
      return counts.size();
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
      default -> single(t);
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
      case ARGS, ARGS_NAMES, ARGS_NAME_COUNTS, HEADERS_NOT_SENT ->
          throw new IllegalArgumentException(t.name());
    };
  }

  /** Every value of a target, as a list (for the rare paths: chains, allow-lists). */
  List<String> values(Target t) {
    if (t == Target.ARGS || t == Target.ARGS_NAMES) {
      split();
      return t == Target.ARGS ? values : names;
    }
    if (t == Target.ARGS_NAME_COUNTS) {
      count();
      return counts;
    }
    if (t == Target.HEADERS_NOT_SENT) {
      return notSent();
    }
    String v = single(t);
    return v == null ? List.of() : List.of(v);
  }

  /**
   * The values of a target that {@code selector} reads: for {@link Target#ARGS} and
   * {@link Target#ARGS_NAMES}, those of the arguments it names; for other targets, all.
   */
  List<String> values(Target t, ArgumentSelector selector) {
    List<String> all = values(t);
    if (selector.all() || t != Target.ARGS && t != Target.ARGS_NAMES) {
      return all;
    }
    List<String> out = new ArrayList<>(1);
    for (int i = 0; i < names.size(); i++) {
      if (selector.selects(names.get(i))) {
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

  /** {@link Target#HEADERS_NOT_SENT}: one of eight shared lists, so no request makes one. */
  private List<String> notSent() {
    return NOT_SENT_LISTS.get(notSentBits(request));
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

  /** Every value {@link Target#HEADERS_NOT_SENT} can have, by {@link #notSentBits}. */
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
    int start = 0;
    int n = q.length();
    while (start <= n && names.size() < MAX_ARGS) {
      int amp = q.indexOf('&', start);
      if (amp < 0) {
        amp = n;
      }
      if (amp > start) {
        int eq = q.indexOf('=', start);
        if (eq < 0 || eq > amp) {
          names.add(q.substring(start, amp));
          values.add("");
        } else {
          names.add(q.substring(start, eq));
          values.add(q.substring(eq + 1, amp));
        }
      }
      start = amp + 1;
    }
  }
}
