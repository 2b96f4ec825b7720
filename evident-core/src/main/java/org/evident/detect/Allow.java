package org.evident.detect;

import com.google.re2j.Pattern;
import java.util.Set;
import java.util.function.Predicate;
import org.evident.log.Request;
import org.evident.net.Cidr;
import org.evident.net.IpAddress;

/**
 * An allow-list entry: matches of {@code rule} (or of every rule when {@code null}) are dropped
 * for requests that meet every condition given. Conditions left {@code null} match anything.
 *
 * @param rule a rule id, or {@code null}
 * @param tag a tag the rule must carry (CRS's {@code attack-rce}: every command-injection rule of
 *     CRS, none of Evident's own, as CRS's by-tag exclusions), or {@code null}
 * @param path an RE2 pattern the (still encoded) path must match, or {@code null}
 * @param source an address block the client must be in, or {@code null}
 * @param site the site the request was made to, or {@code null}
 * @param status the response statuses the request must have had, or {@code null}: an entry
 *     for pages the server served ({@code [2xx, 304]}) does not excuse a probe it answered 404
 * @param arg a query argument name, or {@code /pattern/} for those an RE2 pattern finds (names
 *     compared decoded once and in any case, as ModSecurity compares them): only what the rule
 *     found in that argument is dropped (a search box's free text), the rule still counts when
 *     it matches anywhere else; with {@code target} {@link Target#REQUEST_COOKIES}, a cookie's
 *     name so ({@code cookie: OptanonConsent}); or {@code null} for the whole request
 * @param target {@link Target#PATH}: only what the rule found in the path is dropped
 *     ({@code target: path}; a page whose own name trips a rule,
 *     {@code /TR/xhtml1/xhtml1.xhtml}): the rule still counts when it matches anywhere else, as
 *     CRS's {@code ctl:ruleRemoveTargetById=...;REQUEST_FILENAME}; {@link Target#ARGS_NAMES}:
 *     only what it found in argument names ({@code target: args_names},
 *     {@code ...;ARGS_NAMES}); {@link Target#BASENAME}: only what it found in the path's last
 *     segment ({@code target: basename}, CRS's {@code ...;REQUEST_BASENAME}; a {@code path}
 *     entry covers it too); {@link Target#REQUEST_COOKIES}: only what it found in the cookie
 *     {@code arg} names (written {@code cookie: NAME}, CRS's
 *     {@code ctl:ruleRemoveTargetById=...;REQUEST_COOKIES:NAME}); {@link Target#REQUEST_HEADERS}:
 *     only what it found in the request header {@code arg} names, in lower case (written
 *     {@code header: NAME}, CRS's {@code ...;REQUEST_HEADERS:NAME}; the User-Agent, Referer and
 *     Host too, which are targets of their own); or {@code null}
 * @param origin where the entry is written ({@code tuned.yaml, allow entry 3}), for
 *     {@code explain} to say which entry excused a match
 * @param when what else the request must meet, or {@code null}: the further lines of a CRS
 *     exclusion ({@code ARGS:action "@streq resetpass"}), tested last, on the rare request
 *     that everything else let through
 */
public record Allow(String rule, String tag, Pattern path, Cidr source, String site,
    Set<Integer> status, String arg, Target target, String origin, Predicate<Request> when) {
  /** Between a file's name and an entry's place in its {@code allow:} list, in an origin. */
  static final String PLACE = ", allow entry ";

  /** Whether it drops only what the rule found in the path ({@code target: path}). */
  boolean inPath() {
    return target == Target.PATH;
  }

  /** Whether it drops only what the rule found in argument names ({@code target: args_names}). */
  boolean inNames() {
    return target == Target.ARGS_NAMES;
  }

  /** Whether it drops only what the rule found in the path's last segment. */
  boolean inBasename() {
    return target == Target.BASENAME;
  }

  /** Whether it drops only what the rule found in the cookie {@link #arg} names. */
  boolean inCookie() {
    return target == Target.REQUEST_COOKIES;
  }

  /** Whether it drops only what the rule found in the request header {@link #arg} names. */
  boolean inHeader() {
    return target == Target.REQUEST_HEADERS;
  }

  /** Whether this entry is for rule {@code r}: by its id, a range of ids or a tag, or for all. */
  boolean names(Rule r) {
    return (rule == null || rule.equals(r.id()) || inRange(r.id()))
        && (tag == null || r.tags().contains(tag));
  }

  /** Whether a request meets every condition of this entry but the rule ({@link #names}). */
  boolean covers(Request request, String requestPath, IpAddress client, String requestSite) {
    return (path == null || (requestPath != null && path.matcher(requestPath).find()))
        && (source == null || (client != null && source.contains(client)))
        && (site == null || site.equalsIgnoreCase(requestSite))
        && (status == null || status.contains(request.status()))
        && (when == null || when.test(request));
  }

  /**
   * Whether {@code id} is in the range {@code rule} names, as CRS's exclusions name them
   * ({@code 942100-942199}, {@code ctl:ruleRemoveById=942100-942199}): numbers on both sides,
   * so Evident's own ids ({@code EV-942100}) are never read as one.
   */
  private boolean inRange(String id) {
    int dash = rule.indexOf('-');
    if (dash <= 0 || dash > 18 || rule.length() - dash > 19 || id.length() > 18
        || !digits(rule, 0, dash) || !digits(rule, dash + 1, rule.length())
        || !digits(id, 0, id.length())) {
      return false;
    }
    long n = Long.parseLong(id);
    return n >= Long.parseLong(rule.substring(0, dash))
        && n <= Long.parseLong(rule.substring(dash + 1));
  }

  private static boolean digits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
