package org.evident.log;

/** The request attributes a log template can carry. Anything else is read and ignored. */
enum Field {
  CLIENT_IP, HOST,
  /** The Host header as sent, which a log writes {@code -} when there was none. */
  HOST_HEADER,
  TIME_CLF, TIME_ISO, TIME_EPOCH_SECONDS, TIME_EPOCH_MILLIS, TIME_EPOCH_MICROS,
  TIME_EPOCH_NANOS, REQUEST_LINE, METHOD, URI,
  /** A request target that may be an absolute URL ({@code https://host/p?q}): host and target. */
  URL,
  PATH, QUERY, PROTOCOL, STATUS, BYTES, REFERER, USER_AGENT, FORWARDED_FOR,
  /** Any other request header, named by the template ({@link Template#names()}). */
  HEADER,
  IGNORED
}
