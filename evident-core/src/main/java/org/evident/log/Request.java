package org.evident.log;

/**
 * One HTTP request as a log line recorded it. Fields a format does not carry are {@code null}
 * (or -1 for numbers), so that detectors can tell "absent" from "empty".
 *
 * @param epochMillis time of the request in UTC milliseconds
 * @param clientIp the client address after trusted-proxy resolution
 * @param host virtual host or site name from the log, if the format has one
 * @param method HTTP method as logged
 * @param target request target as logged (path and query, still percent-encoded)
 * @param protocol e.g. {@code HTTP/1.1}
 * @param status response status, or -1
 * @param bytes response size, or -1
 * @param referer Referer header value
 * @param userAgent User-Agent header value
 * @param forwardedFor X-Forwarded-For header value, if logged
 * @param headers the headers the line's format holds, sent or not: one of them that is null
 *     was not sent; a header not in it is unknown (empty for a format that does not say)
 * @param otherHeaders the other headers the line's format holds, in the format's order, sent
 *     or not (see {@link HeaderField}); empty for most formats
 */
public record Request(
    long epochMillis,
    String clientIp,
    String host,
    String method,
    String target,
    String protocol,
    int status,
    long bytes,
    String referer,
    String userAgent,
    String forwardedFor,
    java.util.Set<Header> headers,
    java.util.List<HeaderField> otherHeaders) {

  public Request {
    headers = headers.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(headers);
    otherHeaders = otherHeaders.isEmpty() ? java.util.List.of()
        : java.util.List.copyOf(otherHeaders);
  }

  /** A request whose log holds no header but those it names. */
  public Request(long epochMillis, String clientIp, String host, String method, String target,
      String protocol, int status, long bytes, String referer, String userAgent,
      String forwardedFor, java.util.Set<Header> headers) {
    this(epochMillis, clientIp, host, method, target, protocol, status, bytes, referer,
        userAgent, forwardedFor, headers, java.util.List.of());
  }

  /** A request whose log does not say which headers it holds. */
  public Request(long epochMillis, String clientIp, String host, String method, String target,
      String protocol, int status, long bytes, String referer, String userAgent,
      String forwardedFor) {
    this(epochMillis, clientIp, host, method, target, protocol, status, bytes, referer,
        userAgent, forwardedFor, java.util.Set.of(), java.util.List.of());
  }

  /** The target up to the first '?', still encoded. */
  public String path() {
    if (target == null) {
      return null;
    }
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** The raw query after the first '?', or {@code null} when there is none. */
  public String query() {
    if (target == null) {
      return null;
    }
    int q = target.indexOf('?');
    return q < 0 ? null : target.substring(q + 1);
  }

  /** A copy with another client address, used once trusted proxies have been peeled off. */
  public Request withClientIp(String ip) {
    return new Request(epochMillis, ip, host, method, target, protocol, status, bytes, referer,
        userAgent, forwardedFor, headers, otherHeaders);
  }

  /** A copy with other headers (an allow-list's check with cookies taken out). */
  public Request withOtherHeaders(java.util.List<HeaderField> others) {
    return new Request(epochMillis, clientIp, host, method, target, protocol, status, bytes,
        referer, userAgent, forwardedFor, headers, others);
  }

  /** A copy with another request target (an allow-list's check with arguments taken out). */
  public Request withTarget(String t) {
    return new Request(epochMillis, clientIp, host, method, t, protocol, status, bytes, referer,
        userAgent, forwardedFor, headers, otherHeaders);
  }
}
