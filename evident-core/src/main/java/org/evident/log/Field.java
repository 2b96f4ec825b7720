package org.evident.log;

/** The request attributes a log template can carry. Anything else is read and ignored. */
enum Field {
  CLIENT_IP, HOST, TIME_CLF, TIME_ISO, TIME_EPOCH_SECONDS, TIME_EPOCH_MILLIS, TIME_EPOCH_MICROS,
  REQUEST_LINE, METHOD, URI, PATH, QUERY, PROTOCOL, STATUS, BYTES, REFERER, USER_AGENT,
  FORWARDED_FOR, IGNORED
}
