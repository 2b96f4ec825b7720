package org.evident.detect;

import java.util.Locale;

/** The parts of a logged request a rule can inspect. */
public enum Target {
  /** The request target, path and query, as logged. */
  URI,
  /** The path, before any '?'. */
  PATH,
  /** The raw query string. */
  QUERY,
  /** Each query argument value, separately. */
  ARGS,
  /** Each query argument name, separately. */
  ARGS_NAMES,
  METHOD,
  PROTOCOL,
  USER_AGENT,
  REFERER,
  /**
   * The Referer read as the URL it is: the part before its {@code ?} (all of a Referer without
   * one), then each query argument's value, separately and named by its argument
   * ({@code referer_url:q}), left encoded as the request's own arguments are, and each argument
   * name that is not a plain word. A visitor who clicks a result of a site's search sends the
   * search's URL as the Referer: read whole, one argument's end and the next one's start
   * ({@code --&page=}) looked like SQL to rules written for one value. What Evident's own rules
   * read; CRS's {@code REQUEST_HEADERS:Referer} is {@link #REFERER}, whole, as ModSecurity has it.
   */
  REFERER_URL,
  HOST,
  /**
   * The headers the log holds that the client did not send, by name in lower case
   * ({@code user-agent}, {@code referer}, {@code host}): what CRS tests with
   * {@code &REQUEST_HEADERS:User-Agent "@eq 0"}. Empty where the log does not say which
   * headers it holds; the Host counts only where the log holds the header itself
   * ({@code %{Host}i}, {@code $http_host}), not a server's name.
   */
  HEADERS_NOT_SENT,
  /**
   * Each other request header the log holds and the client sent, separately, by name in lower
   * case: a site's {@code %{Accept}i}, {@code %{Cookie}i}, nginx's {@code $http_x_api_key}, and
   * the X-Forwarded-For where the log holds it. Empty for a format that holds none (combined).
   */
  REQUEST_HEADERS,
  /** The names, in lower case, of the headers the request is known to have sent. */
  REQUEST_HEADERS_NAMES,
  /** Each cookie's value, separately, from a Cookie header the log holds. */
  REQUEST_COOKIES,
  /** Each cookie's name, separately. */
  REQUEST_COOKIES_NAMES,
  /** Method, target and protocol as the request line was sent ({@code GET /a?b HTTP/1.1}). */
  REQUEST_LINE,
  /**
   * How often each argument name occurs in the query, once per name in order of first
   * occurrence ({@code ?a=1&b=2&a=3}: {@code 2}, {@code 1}); names compared decoded once and in
   * any case, as {@link ArgumentSelector} compares them. What a rule against parameter
   * pollution (CRS 921180) reads; the line cache holds it with the other parts of the line.
   */
  ARGS_NAME_COUNTS,
  /**
   * How many arguments the query has, one value in decimal ({@code 0} without a query): what
   * CRS's {@code &ARGS} reads (920380, too many arguments). Counted up to
   * {@link RequestTargets#MAX_ARGS}, as many as are judged.
   */
  ARGS_COUNT,
  /**
   * The characters of the query's argument names and values together, decoded as they are
   * judged, one value in decimal: what CRS's {@code ARGS_COMBINED_SIZE} reads (920390, the
   * arguments' total length), over the same arguments as {@link #ARGS_COUNT}.
   */
  ARGS_COMBINED_SIZE,
  /**
   * The path's last segment, after its last '/' ({@code /a/b.php}: {@code b.php}; empty for
   * {@code /a/}): CRS's {@code REQUEST_BASENAME}, which 942101 reads with libinjection as a
   * value of its own ({@code /post/1234 or 1=1}) and 920440 for a file extension.
   */
  BASENAME;

  /** Read for every match a rule makes, so made once. */
  private final String label = name().toLowerCase(Locale.ROOT);

  /**
   * For a target whose values each have a name (an argument's, a header's, a cookie's), what
   * a match in one is labelled before that name ({@code args:}, {@code request_cookies:}); null
   * for the others.
   */
  private final String namedLabel = switch (name()) {
    case "ARGS", "ARGS_NAME_COUNTS", "REFERER_URL", "REQUEST_HEADERS", "REQUEST_COOKIES" ->
        label + ":";
    default -> null;
  };

  /**
   * Whether a match's target label ({@code referer}, {@code referer_url},
   * {@code referer_url:q}) is in the Referer, whole or one of its parts: what a
   * {@code header: Referer} allow entry covers.
   */
  static boolean inReferer(String where) {
    return where.equals(REFERER.label) || where.equals(REFERER_URL.label)
        || where.startsWith(REFERER_URL.namedLabel);
  }

  /** Whether its values are names, which a rule may read some of by name ({@code ARGS_NAMES}). */
  private final boolean names = switch (name()) {
    case "ARGS_NAMES", "REQUEST_COOKIES_NAMES" -> true;
    default -> false;
  };

  public String label() {
    return label;
  }

  /**
   * Where a match in the value named {@code name} was found: {@code args:q}; a value without a
   * name (the part of {@link #REFERER_URL} before its query) is the target's.
   */
  String label(String name) {
    return name == null ? label : namedLabel + name;
  }

  /** Whether each value has a name of its own ({@link #label(String)}). */
  boolean hasNamedValues() {
    return namedLabel != null;
  }

  /** Whether its values are names, some of which a rule may read ({@code ARGS_NAMES:id}). */
  boolean isNames() {
    return names;
  }

  /** Whether a rule may read some of its values by name ({@link ArgumentSelector}). */
  boolean selectable() {
    return names || namedLabel != null && this != ARGS_NAME_COUNTS && this != REFERER_URL;
  }

  public static Target parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown target '" + s + "'; known: "
          + java.util.Arrays.stream(values()).map(Target::label).toList());
    }
  }
}
