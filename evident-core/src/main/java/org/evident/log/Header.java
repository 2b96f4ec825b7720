package org.evident.log;

/**
 * The request headers an access log may hold. A log that holds one writes {@code -} when the
 * client did not send it, which rules tell from a log without the field (CRS 920320: a request
 * without a User-Agent), so a {@link Request} says which its line held.
 */
public enum Header {
  USER_AGENT, REFERER,
  /** The Host header as sent ({@code %{Host}i}, {@code $http_host}), not a server's name. */
  HOST
}
