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
  HOST,
  /**
   * The headers the log holds that the client did not send, by name in lower case
   * ({@code user-agent}, {@code referer}, {@code host}): what CRS tests with
   * {@code &REQUEST_HEADERS:User-Agent "@eq 0"}. Empty where the log does not say which
   * headers it holds; the Host counts only where the log holds the header itself
   * ({@code %{Host}i}, {@code $http_host}), not a server's name.
   */
  HEADERS_NOT_SENT,
  /** Method, target and protocol as the request line was sent ({@code GET /a?b HTTP/1.1}). */
  REQUEST_LINE,
  /**
   * How often each argument name occurs in the query, once per name in order of first
   * occurrence ({@code ?a=1&b=2&a=3}: {@code 2}, {@code 1}); names compared decoded once and in
   * any case, as {@link ArgumentSelector} compares them. What a rule against parameter
   * pollution (CRS 921180) reads; the line cache holds it with the other parts of the line.
   */
  ARGS_NAME_COUNTS;

  /** Read for every match a rule makes, so made once. */
  private final String label = name().toLowerCase(Locale.ROOT);

  public String label() {
    return label;
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
