package org.evident.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LogFormatsTest {

  /** format, line, expected: ip, UTC time, host, method, target, status, user agent. */
  static Stream<Arguments> goodLines() {
    return Stream.of(
        Arguments.of("combined", "203.0.113.9 - frank [10/Oct/2000:13:55:36 -0700] \"GET"
            + " /apache_pb.gif?a=1 HTTP/1.0\" 200 2326 \"http://x.example/\" \"Mozilla/4.08\"",
            "203.0.113.9", "2000-10-10T20:55:36Z", null, "GET", "/apache_pb.gif?a=1", 200,
            "Mozilla/4.08"),
        Arguments.of("common", "::1 - - [01/Feb/2013:00:00:00 +0000] \"POST /login HTTP/1.1\""
            + " 302 -", "::1", "2013-02-01T00:00:00Z", null, "POST", "/login", 302, null),
        Arguments.of("combined", "198.51.100.1 - - [28/Feb/2013:23:30:00 -0500] \"GET"
            + " /q?x=\\\"a\\\" HTTP/1.1\" 404 10 \"-\" \"say \\\"hi\\\"\"", "198.51.100.1",
            "2013-03-01T04:30:00Z", null, "GET", "/q?x=\"a\"", 404, "say \"hi\""),
        Arguments.of("vhost_combined", "shop.example:443 192.0.2.7 - - [01/Feb/2013:08:00:00"
            + " +0800] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"", "192.0.2.7",
            "2013-02-01T00:00:00Z", "shop.example", "GET", "/", 200, "curl/8"),
        // a Host header of an IPv6 address holds colons before the port's
        Arguments.of("vhost_combined", "[2001:db8::1]:443 192.0.2.7 - - [01/Feb/2013:08:00:00"
            + " +0800] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"", "192.0.2.7",
            "2013-02-01T00:00:00Z", "[2001:db8::1]", "GET", "/", 200, "curl/8"),
        Arguments.of("nginx:$remote_addr [$time_iso8601] $host \"$request\" $status"
            + " \"$http_user_agent\"", "192.0.2.8 [2013-02-03T10:00:00+01:00] a.example \"GET"
            + " /x HTTP/2.0\" 500 \"ua \\x22q\\x22\"", "192.0.2.8", "2013-02-03T09:00:00Z",
            "a.example", "GET", "/x", 500, "ua \"q\""),
        Arguments.of("apache:%a %{sec}t \"%m %U%q %H\" %>s \"%{User-Agent}i\"",
            "192.0.2.9 1360000000 \"GET /p?q=1 HTTP/1.1\" 200 \"ua\"", "192.0.2.9",
            "2013-02-04T17:46:40Z", null, "GET", "/p?q=1", 200, "ua"),
        Arguments.of("json", "{\"remote_addr\":\"192.0.2.10\",\"time_iso8601\":"
            + "\"2013-02-05T00:00:00+00:00\",\"request\":\"GET /j?a=b HTTP/1.1\",\"status\":"
            + "\"201\",\"http_user_agent\":\"UA\",\"host\":\"j.example\"}", "192.0.2.10",
            "2013-02-05T00:00:00Z", "j.example", "GET", "/j?a=b", 201, "UA"),
        Arguments.of("json", "{\"@timestamp\":\"2013-02-06T12:00:00.000Z\",\"source\":{\"ip\":"
            + "\"192.0.2.11\"},\"http\":{\"request\":{\"method\":\"GET\"},\"response\":"
            + "{\"status_code\":403}},\"url\":{\"original\":\"/ecs?x=1\",\"domain\":\"e.example\"},"
            + "\"user_agent\":{\"original\":\"ECS UA\"}}", "192.0.2.11", "2013-02-06T12:00:00Z",
            "e.example", "GET", "/ecs?x=1", 403, "ECS UA"),
        Arguments.of("json", "{\"ts\":1,\"time\":1360490400.5,\"remote_addr\":\"192.0.2.13\","
            + "\"request\":\"GET /n HTTP/1.1\",\"status\":200}", "192.0.2.13",
            "2013-02-10T10:00:00.500Z", null, "GET", "/n", 200, null),
        Arguments.of("json", "{\"timestamp\":1360490400123,\"remote_addr\":\"192.0.2.14\","
            + "\"request\":\"GET /m HTTP/1.1\",\"status\":200}", "192.0.2.14",
            "2013-02-10T10:00:00.123Z", null, "GET", "/m", 200, null),
        Arguments.of("json", "{\"time\":\"2013-02-10T15:30:00.250+0530\",\"remote_addr\":"
            + "\"192.0.2.15\",\"request\":\"GET /o HTTP/1.1\",\"status\":200}", "192.0.2.15",
            "2013-02-10T10:00:00.250Z", null, "GET", "/o", 200, null),
        Arguments.of("json", "{\"level\":\"info\",\"ts\":1360490400.5241024,\"logger\":"
            + "\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":"
            + "\"10.0.0.9\",\"remote_port\":\"41342\",\"client_ip\":\"192.0.2.16\",\"proto\":"
            + "\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"caddy.example\",\"uri\":"
            + "\"/search?q=x\",\"headers\":{\"Accept\":[\"*/*\"],\"User-Agent\":"
            + "[\"curl/7.82.0\",\"second\"],\"X-Empty\":[],\"X-Nested\":[[1],{\"a\":[2]}]},"
            + "\"tls\":{\"resumed\":false,\"version\":772}},\"bytes_read\":0,\"user_id\":\"\","
            + "\"duration\":0.000929675,\"size\":10900,\"status\":200,\"resp_headers\":"
            + "{\"Server\":[\"Caddy\"]}}", "192.0.2.16", "2013-02-10T10:00:00.524Z",
            "caddy.example", "GET", "/search?q=x", 200, "curl/7.82.0"),
        Arguments.of("json", "{\"ClientAddr\":\"192.0.2.17:54321\",\"ClientHost\":"
            + "\"192.0.2.17\",\"DownstreamContentSize\":19,\"DownstreamStatus\":404,"
            + "\"OriginStatus\":404,\"RequestAddr\":\"traefik.example\",\"RequestHost\":"
            + "\"traefik.example\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/.env?a=1\","
            + "\"RequestProtocol\":\"HTTP/1.1\",\"StartLocal\":"
            + "\"2013-02-10T11:00:00.123456789+01:00\",\"StartUTC\":"
            + "\"2013-02-10T10:00:00.123456789Z\",\"level\":\"info\",\"msg\":\"\","
            + "\"request_User-Agent\":\"Mozilla/5.0\"}", "192.0.2.17", "2013-02-10T10:00:00.123Z",
            "traefik.example", "GET", "/.env?a=1", 404, "Mozilla/5.0"),
        // Google Cloud's load balancer: a LogEntry, its URL absolute
        Arguments.of("json", "{\"httpRequest\":{\"requestMethod\":\"GET\",\"requestUrl\":"
            + "\"https://gcp.example/s?q=1\",\"requestSize\":\"80\",\"status\":403,"
            + "\"responseSize\":\"120\",\"userAgent\":\"sqlmap/1.7\",\"remoteIp\":"
            + "\"192.0.2.18\",\"serverIp\":\"10.0.0.2\",\"latency\":\"0.01s\",\"protocol\":"
            + "\"HTTP/1.1\"},\"insertId\":\"x\",\"resource\":{\"type\":\"http_load_balancer\"},"
            + "\"timestamp\":\"2013-02-10T10:00:00.123456789Z\",\"severity\":\"WARNING\"}",
            "192.0.2.18", "2013-02-10T10:00:00.123Z", "gcp.example", "GET", "/s?q=1", 403,
            "sqlmap/1.7"),
        // Azure Front Door: an absolute requestUri with its port
        Arguments.of("json", "{\"time\":\"2013-02-10T10:00:00.0000000Z\",\"category\":"
            + "\"FrontDoorAccessLog\",\"properties\":{\"trackingReference\":\"x\",\"httpMethod\":"
            + "\"GET\",\"httpVersion\":\"2.0\",\"requestUri\":"
            + "\"https://www.contoso.example:443/a?b=c\",\"hostName\":\"www.contoso.example\","
            + "\"requestBytes\":\"100\",\"responseBytes\":\"200\",\"userAgent\":\"UA\","
            + "\"clientIp\":\"192.0.2.19\",\"clientPort\":\"5000\",\"socketIp\":\"10.0.0.3\","
            + "\"httpStatusCode\":\"200\",\"referer\":\"\"}}", "192.0.2.19",
            "2013-02-10T10:00:00Z", "www.contoso.example", "GET", "/a?b=c", 200, "UA"),
        // Azure Application Gateway: the path and its query apart
        Arguments.of("json", "{\"time\":\"2013-02-10T10:00:00Z\",\"operationName\":"
            + "\"ApplicationGatewayAccess\",\"properties\":{\"clientIP\":\"192.0.2.20\","
            + "\"httpMethod\":\"GET\",\"requestUri\":\"/phpmyadmin/scripts/setup.php\","
            + "\"requestQuery\":\"a=1\",\"userAgent\":\"-\",\"httpStatus\":404,"
            + "\"httpVersion\":\"HTTP/1.0\",\"sentBytes\":553,\"host\":\"ag.example\"}}",
            "192.0.2.20", "2013-02-10T10:00:00Z", "ag.example", "GET",
            "/phpmyadmin/scripts/setup.php?a=1", 404, null),
        // Cloudflare's Logpush, its time stamp in nanoseconds
        Arguments.of("json", "{\"ClientIP\":\"192.0.2.21\",\"ClientRequestHost\":"
            + "\"cf.example\",\"ClientRequestMethod\":\"GET\",\"ClientRequestURI\":"
            + "\"/.git/config\",\"ClientRequestUserAgent\":\"Go-http-client/1.1\","
            + "\"EdgeEndTimestamp\":1360490400200000000,\"EdgeResponseBytes\":100,"
            + "\"EdgeResponseStatus\":404,\"EdgeStartTimestamp\":1360490400123456789,"
            + "\"RayID\":\"x\"}", "192.0.2.21", "2013-02-10T10:00:00.123Z", "cf.example", "GET",
            "/.git/config", 404, "Go-http-client/1.1"),
        // Akamai DataStream 2: strings throughout, the time in seconds, the agent encoded
        Arguments.of("json", "{\"version\":1,\"cp\":\"123456\",\"reqTimeSec\":"
            + "\"1360490400.250\",\"bytes\":\"4995\",\"cliIP\":\"192.0.2.24\",\"statusCode\":"
            + "\"206\",\"proto\":\"HTTPS\",\"reqHost\":\"ak.example\",\"reqMethod\":\"GET\","
            + "\"reqPath\":\"/wp-login.php\",\"reqPort\":\"443\",\"UA\":"
            + "\"WPScan%20v3.8.22%20(https%3A%2F%2Fwpscan.com%2F)\",\"queryStr\":\"a=1\"}",
            "192.0.2.24", "2013-02-10T10:00:00.250Z", "ak.example", "GET", "/wp-login.php?a=1",
            206, "WPScan v3.8.22 (https://wpscan.com/)"),
        // AWS WAF: epoch milliseconds, the query apart, headers as name-value objects (the
        // first Host counts), no response status
        Arguments.of("json", "{\"timestamp\":1360490400123,\"formatVersion\":1,\"action\":"
            + "\"BLOCK\",\"terminatingRuleMatchDetails\":[{\"conditionType\":\"SQL_INJECTION\","
            + "\"matchedData\":[\"10\",\"AND\"]}],\"httpSourceName\":\"ALB\",\"httpRequest\":{"
            + "\"clientIp\":\"192.0.2.25\",\"country\":\"AU\",\"headers\":[{\"name\":\"Host\","
            + "\"value\":\"waf.example\"},{\"name\":\"user-agent\",\"value\":\"sqlmap/1.7\"},"
            + "{\"name\":\"Host\",\"value\":\"second.example\"},{\"name\":\"Accept\","
            + "\"value\":\"*/*\"}],\"uri\":\"/item\",\"args\":\"id=10%20AND%201=1\","
            + "\"httpVersion\":\"HTTP/2.0\",\"httpMethod\":\"GET\",\"requestId\":\"r\"},"
            + "\"labels\":[{\"name\":\"awswaf:managed:x\"}]}", "192.0.2.25",
            "2013-02-10T10:00:00.123Z", "waf.example", "GET", "/item?id=10%20AND%201=1", -1,
            "sqlmap/1.7"),
        // CloudFront's real-time logs: no #Fields: line, the fields named in the format, the
        // time in seconds since the epoch, the agent percent-encoded, the visitor's Host
        Arguments.of("w3c:timestamp,c-ip,sc-status,sc-bytes,cs-method,cs-protocol,cs-host,"
            + "cs-uri-stem,x-host-header,cs-protocol-version,cs-user-agent,cs-referer,"
            + "cs-uri-query", "1360490400.123\t192.0.2.40\t200\t512\tGET\thttps\t"
            + "d111111abcdef8.cloudfront.net\t/index.php\tshop.example\tHTTP/2.0\t"
            + "Mozilla/5.0%20(X11)\t-\tid=1%27--", "192.0.2.40", "2013-02-10T10:00:00.123Z",
            "shop.example", "GET", "/index.php?id=1%27--", 200, "Mozilla/5.0 (X11)"),
        // an IIS log whose header lines were cut off
        Arguments.of("w3c:date time c-ip cs-method cs-uri-stem cs-uri-query sc-status"
            + " cs(User-Agent)", "2013-02-10 10:00:00 192.0.2.41 GET /default.aspx id=1 404"
            + " sqlmap/1.7+(https://sqlmap.org)", "192.0.2.41", "2013-02-10T10:00:00Z", null,
            "GET", "/default.aspx?id=1", 404, "sqlmap/1.7 (https://sqlmap.org)"),
        // HAProxy: through rsyslog, with captured Host and User-Agent headers, an escaped quote
        Arguments.of("haproxy", "Feb 10 10:00:00 lb1 haproxy[14389]: 192.0.2.22:33317"
            + " [10/Feb/2013:10:00:00.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ----"
            + " 1/1/1/1/0 0/0 {shop.example|Mozilla/5.0 (X11; Linux)} {} \"GET"
            + " /p?id=1#27+or+1=1 HTTP/1.1\"", "192.0.2.22", "2013-02-10T10:00:00.655Z",
            "shop.example", "GET", "/p?id=1'+or+1=1", 200, "Mozilla/5.0 (X11; Linux)"),
        // as a file of its own, IPv6, no captures, httpslog's fields after the request
        Arguments.of("haproxy", "2001:db8::7:51000 [10/Feb/2013:10:00:01.001] fe~ be/s1"
            + " 0/0/1/2/3 404 +120 - - ---- 2/2/0/0/0 0/0 \"HEAD /.env HTTP/2.0\" 0/0/0/0/0"
            + " shop.example/TLSv1.3/TLS_AES_256_GCM_SHA384", "2001:db8::7",
            "2013-02-10T10:00:01.001Z", null, "HEAD", "/.env", 404, null),
        // a request cut short at HAProxy's length limit; status -1 (the client went away)
        Arguments.of("haproxy", "192.0.2.23:1 [10/Feb/2013:10:00:02.000] fe be/<NOSRV>"
            + " -1/-1/-1/-1/0 -1 0 - - CR-- 1/1/0/0/0 0/0 \"GET /a?b=c", "192.0.2.23",
            "2013-02-10T10:00:02Z", null, "GET", "/a?b=c", -1, null),
        Arguments.of("alb", "https 2013-02-07T10:00:00.123456Z app/lb/1 192.0.2.12:5555"
            + " 10.0.0.1:80 0.001 0.002 0.000 200 200 100 200 \"GET"
            + " https://alb.example:443/a?b=c HTTP/1.1\" \"ALB UA\" ECDHE TLSv1.2"
            + " arn:aws:x \"Root=1\" \"alb.example\" \"arn:cert\" 0", "192.0.2.12",
            "2013-02-07T10:00:00.123Z", "alb.example", "GET", "/a?b=c", 200, "ALB UA"));
  }

  @ParameterizedTest
  @MethodSource("goodLines")
  void parsesEachFormat(String format, String line, String ip, String time, String host,
      String method, String target, int status, String agent) throws Exception {
    Request r = LogFormats.byName(format).newParser().parse(line);
    assertThat(r.clientIp()).isEqualTo(ip);
    assertThat(Instant.ofEpochMilli(r.epochMillis())).isEqualTo(Instant.parse(time));
    assertThat(r.host()).isEqualTo(host);
    assertThat(r.method()).isEqualTo(method);
    assertThat(r.target()).isEqualTo(target);
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.userAgent()).isEqualTo(agent);
  }

  /**
   * A header not sent is {@code -} (null), one sent empty {@code ""} (the empty text): Apache
   * and nginx log them so, and CRS tells them apart (920320, 920330). Elsewhere, an empty
   * field is nothing (a JSON log's {@code ""} is what nginx writes for a header not sent).
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "combined|'1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"'"
          + "|null|null",
      "combined|'1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"\" \"\"'"
          + "|''|''",
      "combined|'1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"\" \"-\"'"
          + "|''|null",
      "combined|'1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"\"'"
          + "|null|''",
      "json|'{\"time\":\"2013-02-10T10:00:00Z\",\"remote_addr\":\"1.2.3.4\","
          + "\"request\":\"GET / HTTP/1.1\",\"http_user_agent\":\"\",\"http_referer\":\"\"}'"
          + "|null|null",
  })
  void aHeaderSentEmptyIsNotOneNotSent(String format, String line, String referer,
      String agent) throws Exception {
    Request r = LogFormats.byName(format).newParser().parse(line);
    assertThat(r.referer()).isEqualTo(referer);
    assertThat(r.userAgent()).isEqualTo(agent);
  }

  /**
   * Which headers a line's format holds, so that a {@code -} in one says the client did not send
   * it: the User-Agent and Referer where the format has them, the Host only where it is the
   * header as sent ({@code %{Host}i}, {@code $http_host}), not a server's name ({@code %v},
   * {@code $host}); none for a format without them.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "combined|1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200 1 \"-\" \"-\""
          + "|REFERER,USER_AGENT|-|-|-",
      "common|1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200 1||-|-|-",
      "vhost_combined|a.example:80 1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\""
          + " 200 1 \"-\" \"x\"|REFERER,USER_AGENT|-|x|a.example",
      "apache:%h %t \"%r\" %>s \"%{Host}i\"|1.2.3.4 [10/Feb/2013:10:00:00 +0000]"
          + " \"GET / HTTP/1.0\" 200 \"-\"|HOST|-|-|-",
      "apache:%h %t \"%r\" %>s \"%{Host}i\"|1.2.3.4 [10/Feb/2013:10:00:00 +0000]"
          + " \"GET / HTTP/1.0\" 200 \"\"|HOST|-|-|''",
      "nginx:$remote_addr [$time_local] \"$request\" $status \"$http_host\"|1.2.3.4"
          + " [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200 \"b.example\"|HOST|-|-|b.example",
      "nginx:$remote_addr [$time_local] \"$request\" $status \"$host\"|1.2.3.4"
          + " [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200 \"b.example\"||-|-|b.example",
  })
  void aRequestSaysWhichHeadersItsLogHolds(String format, String line, String held,
      String referer, String agent, String host) throws Exception {
    Request r = LogFormats.byName(format).newParser().parse(line);
    assertThat(r.headers()).containsExactlyInAnyOrderElementsOf(held == null ? List.of()
        : java.util.Arrays.stream(held.split(",")).map(Header::valueOf).toList());
    assertThat(r.referer()).isEqualTo(referer.equals("-") ? null : referer);
    assertThat(r.userAgent()).isEqualTo(agent.equals("-") ? null : agent);
    assertThat(r.host()).isEqualTo(host.equals("-") ? null : host);
  }

  /**
   * Any other header a format logs is kept by name, in the format's order: {@code -} not sent
   * (null), a quoted {@code ""} sent empty, Apache's escapes undone; nginx names a header
   * {@code $http_} and its name with {@code _} for {@code -}.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "apache:%h %t \"%r\" %>s \"%{Cookie}i\" \"%{Accept}i\" \"%{X-Api-Key}i\""
          + "|1.2.3.4 [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200"
          + " \"sid=1; q=\\\"a\\\"\" \"\" \"-\"|cookie=sid=1; q=\"a\",accept=,x-api-key=null",
      "nginx:$remote_addr [$time_local] \"$request\" $status \"$http_accept_language\""
          + " $http_x_request_id|1.2.3.4 [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200"
          + " \"en-us,en;q=0.5\" 7f3a|accept-language=en-us,en;q=0.5,x-request-id=7f3a",
      "combined|1.2.3.4 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200 1 \"-\" \"-\"|",
      "apache:%h %t \"%r\" %>s \"%{sid}C\" \"%{Theme}C\" %{lang}C"
          + "|1.2.3.4 [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200 \"a b\" \"dark\" -"
          + "|cookie=sid=a b; Theme=dark",
      "apache:%h %t \"%r\" %>s %{sid}C|1.2.3.4 [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\""
          + " 200 -|",
      "apache:%h %t \"%r\" %>s \"%{Cookie}i\" %{sid}C"
          + "|1.2.3.4 [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200 \"sid=1; x=2\" 1"
          + "|cookie=sid=1; x=2",
      "nginx:$remote_addr [$time_local] \"$request\" $status $cookie_sid $cookie_Theme"
          + "|1.2.3.4 [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.0\" 200 abc -|cookie=sid=abc",
      "json|{\"time_iso8601\":\"2013-02-10T10:00:00Z\",\"remote_addr\":\"1.2.3.4\","
          + "\"request\":\"GET / HTTP/1.1\",\"http_cookie\":\"a=1\",\"http_accept\":\"\","
          + "\"http_x_api_key\":\"-\",\"http_host\":\"h.example\"}|cookie=a=1,x-api-key=null",
      "json|{\"ts\":1360490400,\"request\":{\"remote_ip\":\"1.2.3.4\",\"method\":\"GET\","
          + "\"uri\":\"/\",\"headers\":{\"Cookie\":[\"a=1\"],\"User-Agent\":[\"x\"]}}}"
          + "|cookie=a=1",
      "json|{\"StartUTC\":\"2013-02-10T10:00:00Z\",\"ClientHost\":\"1.2.3.4\","
          + "\"RequestMethod\":\"GET\",\"RequestPath\":\"/\",\"request_Cookie\":\"a=1\"}"
          + "|cookie=a=1",
      "json|{\"timestamp\":1360490400000,\"httpRequest\":{\"clientIp\":\"1.2.3.4\","
          + "\"httpMethod\":\"GET\",\"uri\":\"/\",\"headers\":[{\"name\":\"Host\","
          + "\"value\":\"h\"},{\"name\":\"Accept\",\"value\":\"*/*\"}]}}|accept=*/*",
  })
  void otherHeadersAreKeptByName(String format, String line, String expected) throws Exception {
    Request r = LogFormats.byName(format).newParser().parse(line);
    List<String> got = r.otherHeaders().stream().map(h -> h.name() + "=" + h.value()).toList();
    assertThat(String.join(",", got)).isEqualTo(expected == null ? "" : expected);
  }

  @Test
  void aCookieFieldNeedsACookieName() {
    assertThatThrownBy(() -> LogFormats.byName("apache:%h %t \"%r\" %{a=b}C"))
        .hasMessageContaining("'a=b' is not a cookie name");
  }

  @Test
  void w3cKeepsTheOtherHeadersItsFieldsName() throws Exception {
    LineParser p = LogFormats.byName("w3c").newParser();
    p.parse("#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(Cookie) cs(Accept)");
    Request r = p.parse("2013-02-08 01:02:03 192.0.2.13 GET /a 200 a=1;+b=2 -");
    assertThat(r.otherHeaders()).containsExactly(new HeaderField("cookie", "a=1; b=2"),
        new HeaderField("accept", null));
  }

  @Test
  void w3cHoldsTheHeadersItsFieldsName() throws Exception {
    LineParser p = LogFormats.byName("w3c").newParser();
    p.parse("#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent)");
    Request r = p.parse("2013-02-08 01:02:03 192.0.2.13 GET /a 200 -");
    assertThat(r.headers()).containsExactly(Header.USER_AGENT);
    assertThat(r.userAgent()).isNull();
    p.parse("#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(Referer)");
    assertThat(p.parse("2013-02-08 01:02:03 192.0.2.13 GET /a 200 -").headers())
        .containsExactly(Header.REFERER);
  }

  @Test
  void w3cFollowsFieldsDirective() throws Exception {
    LineParser p = LogFormats.byName("w3c").newParser();
    assertThat(p.parse("#Software: Microsoft Internet Information Services 10.0")).isNull();
    assertThat(p.parse("#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status"
        + " cs(User-Agent)")).isNull();
    Request r = p.parse("2013-02-08 01:02:03 192.0.2.13 GET /iis.aspx a=1 200 Mozilla/5.0+(X)");
    assertThat(r.target()).isEqualTo("/iis.aspx?a=1");
    assertThat(r.userAgent()).isEqualTo("Mozilla/5.0 (X)");
    assertThat(Instant.ofEpochMilli(r.epochMillis())).isEqualTo(
        Instant.parse("2013-02-08T01:02:03Z"));
    // what a scan stores where it stopped: a new parser fed it reads on as this one does
    String line = "2013-02-08 01:02:04 192.0.2.14 GET /next b=2 404 curl/8.0";
    assertThat(p.state()).isEqualTo("#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query"
        + " sc-status cs(User-Agent)");
    LineParser resumed = LogFormats.byName("w3c").newParser();
    assertThat(resumed.parse(p.state())).isNull();
    assertThat(resumed.parse(line)).isEqualTo(p.parse(line));
    assertThat(LogFormats.byName("combined").newParser().state()).as("stateless").isNull();
    // IIS's enhanced logging names a request header as a field of its own, spaces as '+'
    LineParser xff = LogFormats.byName("w3c").newParser();
    xff.parse("#Fields: date time c-ip cs-method cs-uri-stem sc-status X-Forwarded-For");
    assertThat(xff.parse("2013-02-08 01:02:05 10.0.0.9 GET / 200 8.8.8.8,+10.0.0.8")
        .forwardedFor()).isEqualTo("8.8.8.8, 10.0.0.8");
  }

  /**
   * Amazon CloudFront's standard logs are W3C files with tab-separated fields, a percent-encoded
   * User-Agent (a {@code +} in it is a plus), the distribution's name in {@code cs(Host)} and
   * the Host header the visitor sent in {@code x-host-header}, which names the site.
   */
  @Test
  void cloudFrontLogsAreW3cWithTabs() throws Exception {
    String fields = "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host)"
        + " cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie)"
        + " x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken"
        + " x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type"
        + " cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte"
        + " x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start"
        + " sc-range-end";
    String line = String.join("\t", "2019-12-04", "21:02:31", "LAX1", "392", "192.0.2.100",
        "GET", "d111111abcdef8.cloudfront.net", "/index.html", "200", "-",
        "Mozilla/5.0%20(compatible;%20Googlebot/2.1;%20+http://www.google.com/bot.html)",
        "id=1%27%20or%201=1", "-", "Hit", "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==",
        "www.example.com", "https", "23", "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256",
        "Hit", "HTTP/2.0", "-", "-", "11040", "0.001", "Hit", "text/html", "78", "-", "-");
    List<String> sample = List.of("#Version: 1.0", fields, line);
    assertThat(LogFormats.detect(sample).format().name()).isEqualTo("w3c");
    LineParser p = LogFormats.byName("w3c").newParser();
    assertThat(p.parse(fields)).isNull();
    Request r = p.parse(line);
    assertThat(r.clientIp()).isEqualTo("192.0.2.100");
    assertThat(r.host()).isEqualTo("www.example.com");
    assertThat(r.target()).isEqualTo("/index.html?id=1%27%20or%201=1");
    assertThat(r.protocol()).isEqualTo("HTTP/2.0");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.userAgent()).isEqualTo(
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    assertThat(Instant.ofEpochMilli(r.epochMillis())).isEqualTo(
        Instant.parse("2019-12-04T21:02:31Z"));
    // without the visitor's Host header, the distribution's name
    Request bare = p.parse(line.replace("www.example.com", "-"));
    assertThat(bare.host()).isEqualTo("d111111abcdef8.cloudfront.net");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Mozilla/5.0%20(X)|Mozilla/5.0 (X)",
      "caf%C3%A9|caf\u00e9",
      "100%|100%",
      "%zz%4|%zz%4",
      "a+b|a+b",
      "%\u0663\u0663|%\u0663\u0663",
  })
  void percentEscapesAreDecodedAsUtf8(String raw, String decoded) {
    assertThat(RequestFields.percentDecoded(raw)).isEqualTo(decoded);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "https://a.example:443/p?q=1|a.example|/p?q=1",
      "http://a.example|a.example|/",
      "http://a.example?q=1|a.example|/?q=1",
      "https://[2001:db8::1]:8443/x|[2001:db8::1]|/x",
      "https://[2001:db8::1]/x|[2001:db8::1]|/x",
      "/already/origin?q|null|/already/origin?q",
  })
  void absoluteUrlsBecomeHostAndTarget(String url, String host, String target) throws Exception {
    RequestFields f = new RequestFields();
    f.set(Field.URL, url, false);
    f.set(Field.CLIENT_IP, "192.0.2.1", false);
    f.set(Field.TIME_ISO, "2013-02-10T10:00:00Z", false);
    Request r = f.toRequest();
    assertThat(r.host()).isEqualTo(host.equals("null") ? null : host);
    assertThat(r.target()).isEqualTo(target);
  }

  /** Where the access line inside a syslog line starts, for each header a log server writes. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Feb 10 10:00:00 web1 nginx: MSG|MSG",
      "Feb  6 10:00:00 web1 nginx[123]: MSG|MSG",
      "<190>Feb 10 10:00:00 web1 nginx: MSG|MSG",
      "2013-02-10T10:00:00.123456+00:00 web1 apache-access: MSG|MSG",
      "<190>1 2013-02-10T10:00:00Z web1 nginx 123 - - MSG|MSG",
      "<190>1 2013-02-10T10:00:00Z web1 nginx - ID47 [x@1 a=\"x\\]y\"][y@2] MSG|MSG",
      "192.0.2.1 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1|",
      "Feb 10 10:00:00 web1 two words: MSG|",
  })
  void syslogHeadersAreFound(String line, String message) {
    int start = SyslogFormat.messageStart(line);
    assertThat(start < 0 ? null : line.substring(start)).isEqualTo(message);
  }

  /**
   * nginx's access_log to syslog, as rsyslog writes it to a file: the combined line inside is
   * found, detected and read, the header's own time ignored for the line's.
   */
  @Test
  void accessLinesInsideSyslogLinesAreRead() throws Exception {
    String inner = "192.0.2.30 - - [10/Feb/2013:11:00:00 +0100] \"GET /p?q=1 HTTP/1.1\" 200"
        + " 5 \"-\" \"Mozilla/5.0\"";
    List<String> sample = List.of("Feb 10 10:00:07 web1 nginx: " + inner,
        "<190>Feb 10 10:00:07 web1 nginx: " + inner, "2013-02-10T10:00:07+00:00 web1 nginx: "
        + inner);
    LogFormats.Detection d = LogFormats.detect(sample);
    assertThat(d.format().name()).isEqualTo("syslog+combined");
    assertThat(d.parsed()).isEqualTo(3);
    LineParser p = LogFormats.byName("syslog+combined").newParser();
    for (String line : sample) {
      Request r = p.parse(line);
      assertThat(r.clientIp()).isEqualTo("192.0.2.30");
      assertThat(r.target()).isEqualTo("/p?q=1");
      assertThat(Instant.ofEpochMilli(r.epochMillis())).isEqualTo(
          Instant.parse("2013-02-10T10:00:00Z"));
    }
    assertThat(p.parse(inner).clientIp()).as("a line without a header").isEqualTo("192.0.2.30");
    assertThat(LogFormats.detect(List.of(inner)).format().name()).isEqualTo("combined");
    assertThat(LogFormats.byName("syslog+nginx:$remote_addr [$time_local] \"$request\"")
        .newParser().parse("Feb 10 10:00:07 web1 nginx: 192.0.2.31 [10/Feb/2013:10:00:00"
            + " +0000] \"GET / HTTP/1.1\"").clientIp()).isEqualTo("192.0.2.31");
  }

  /**
   * A time written without an offset is read in the zone given (summer time too); a time with
   * an offset, an epoch and W3C's UTC are read as written; the zone is part of the format's
   * name, so a later scan reads on the same way.
   */
  @Test
  void timesWithoutAnOffsetAreReadInTheZoneGiven() throws Exception {
    java.time.ZoneId paris = LogFormats.zone("Europe/Paris");
    String haproxy = "192.0.2.1:1 [10/Jul/2013:10:00:00.000] fe be/s 1/2/3/4/5 200 1 - - ----"
        + " 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"";
    LogFormat inParis = LogFormats.byName("haproxy").inZone(paris);
    assertThat(inParis.name()).isEqualTo("haproxy@Europe/Paris");
    assertThat(Instant.ofEpochMilli(inParis.newParser().parse(haproxy).epochMillis()))
        .isEqualTo(Instant.parse("2013-07-10T08:00:00Z"));
    assertThat(Instant.ofEpochMilli(LogFormats.byName("haproxy@+01:00").newParser()
        .parse(haproxy.replace("Jul", "Feb")).epochMillis()))
        .isEqualTo(Instant.parse("2013-02-10T09:00:00Z"));
    LineParser json = LogFormats.byName("json@Europe/Paris").newParser();
    String local = "{\"remote_addr\":\"192.0.2.1\",\"time\":\"2013-02-10 10:00:00\"}";
    assertThat(Instant.ofEpochMilli(json.parse(local).epochMillis()))
        .isEqualTo(Instant.parse("2013-02-10T09:00:00Z"));
    for (String written : new String[] {"2013-02-10T10:00:00Z", "2013-02-10T10:00:00+00:00",
        "2013-02-10T10:00:00-00:00"}) {
      assertThat(Instant.ofEpochMilli(json.parse(local.replace("2013-02-10 10:00:00", written))
          .epochMillis())).as(written).isEqualTo(Instant.parse("2013-02-10T10:00:00Z"));
    }
    assertThat(Instant.ofEpochMilli(json.parse("{\"remote_addr\":\"192.0.2.1\",\"time\":"
        + "1360490400}").epochMillis())).isEqualTo(Instant.parse("2013-02-10T10:00:00Z"));
    String clf = "192.0.2.1 - - [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\""
        + " \"ua\"";
    assertThat(Instant.ofEpochMilli(LogFormats.byName("combined").inZone(paris).newParser()
        .parse(clf).epochMillis())).isEqualTo(Instant.parse("2013-02-10T10:00:00Z"));
    assertThat(LogFormats.byName("w3c").inZone(paris).name()).isEqualTo("w3c");
    assertThat(LogFormats.byName("syslog+json").inZone(paris).name())
        .isEqualTo("syslog+json@Europe/Paris");
    assertThat(LogFormats.byName("syslog+json@Europe/Paris").name())
        .isEqualTo("syslog+json@Europe/Paris");
    assertThatThrownBy(() -> LogFormats.byName("combined@Mars/Base"))
        .hasMessage("unknown time zone 'Mars/Base'; give a region such as Europe/Paris or an"
            + " offset such as +01:00");
    // an @ in a user's layout is the layout's
    assertThat(LogFormats.byName("apache:%h@%v %t \"%r\" %>s").newParser()
        .parse("192.0.2.1@a.example [10/Feb/2013:10:00:00 +0000] \"GET / HTTP/1.1\" 200")
        .host()).isEqualTo("a.example");
  }

  /**
   * HAProxy's captured request headers come without names: each is told by its look, whatever
   * the configuration's order. Columns: the captures, then Host, User-Agent, Referer and
   * X-Forwarded-For as read ({@code -} for none).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " ~ ", value = {
      "{shop.example|Mozilla/5.0 (X11)} ~ shop.example ~ Mozilla/5.0 (X11) ~ - ~ -",
      "{Mozilla/5.0 (X11)|shop.example:8080} ~ shop.example:8080 ~ Mozilla/5.0 (X11) ~ - ~ -",
      "{203.0.113.5, 10.0.0.1|shop.example|curl/8.0} ~ shop.example ~ curl/8.0 ~ - ~ 203.0.113.5,"
          + " 10.0.0.1",
      "{203.0.113.5|https://r.example/p|sqlmap/1.7 (https://sqlmap.org)} ~ 203.0.113.5"
          + " ~ sqlmap/1.7 (https://sqlmap.org) ~ https://r.example/p ~ -",
      "{shop.example|2001:db8::5} ~ shop.example ~ - ~ - ~ 2001:db8::5",
      "{text/html,*/*;q=0.8|a=b; c=d|gzip, deflate|HTTPie/3.2} ~ - ~ HTTPie/3.2 ~ - ~ -",
      "{} ~ - ~ - ~ - ~ -",
  })
  void haproxyCapturesAreToldByTheirLook(String captures, String host, String agent,
      String referer, String forwarded) throws Exception {
    assertCaptured(LogFormats.byName("haproxy"), captures, host, agent, referer, forwarded);
  }

  /** Parses an HAProxy line with {@code captures}; checks the headers read ({@code -}: none). */
  private static void assertCaptured(LogFormat f, String captures, String host, String agent,
      String referer, String forwarded) throws Exception {
    Request r = f.newParser().parse("192.0.2.1:1 [10/Feb/2013:10:00:00.000] fe be/s"
        + " 1/2/3/4/5 200 1 - - ---- 1/1/1/1/0 0/0 " + captures + " \"GET / HTTP/1.1\"");
    assertThat(r.host()).isEqualTo(host.equals("-") ? null : host);
    assertThat(r.userAgent()).isEqualTo(agent.equals("-") ? null : agent);
    assertThat(r.referer()).isEqualTo(referer.equals("-") ? null : referer);
    assertThat(r.forwardedFor()).isEqualTo(forwarded.equals("-") ? null : forwarded);
  }

  /**
   * Named in the configuration's order, captures are read as named, however they look: an agent
   * of one word, a Host that is an address. Columns: the format, the captures, then Host,
   * User-Agent, Referer and X-Forwarded-For as read ({@code -} for none).
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiterString = " ~ ", value = {
      "haproxy:host,user-agent ~ {203.0.113.9|masscan} ~ 203.0.113.9 ~ masscan ~ - ~ -",
      "haproxy:Host,-,User-Agent ~ {a.example|203.0.113.5|x} ~ a.example ~ x ~ - ~ -",
      "haproxy:x-forwarded-for,referer ~ {203.0.113.5|not a url} ~ - ~ - ~ not a url"
          + " ~ 203.0.113.5",
      "haproxy:host,user-agent,referer ~ {a.example} ~ a.example ~ - ~ - ~ -",
      "haproxy:host ~ {a.example|Mozilla/5.0} ~ a.example ~ - ~ - ~ -",
      "haproxy:cookie,host@Europe/Paris ~ {a=b|c.example} ~ c.example ~ - ~ - ~ -",
  })
  void haproxyCapturesNamedAreReadAsNamed(String format, String captures, String host,
      String agent, String referer, String forwarded) throws Exception {
    LogFormat f = LogFormats.byName(format);
    assertThat(LogFormats.byName(f.name()).name()).isEqualTo(f.name()); // stored, read back
    assertCaptured(f, captures, host, agent, referer, forwarded);
  }

  @Test
  void w3cFieldsNamedInTheFormatAreKeptWithIt() {
    LogFormat f = LogFormats.byName("w3c:timestamp c-ip,sc-status");
    assertThat(f.name()).isEqualTo("w3c:timestamp,c-ip,sc-status");
    assertThat(LogFormats.byName(f.name()).name()).isEqualTo(f.name());
    assertThatThrownBy(() -> LogFormats.byName("w3c:date;time"))
        .hasMessageStartingWith("'date;time' in w3c:date;time is not a W3C field name");
    assertThatThrownBy(() -> LogFormats.byName("w3c:"))
        .hasMessageStartingWith("w3c: needs the log's fields in order");
  }

  @Test
  void haproxyCaptureNamesMustBeHeaderNames() {
    assertThatThrownBy(() -> LogFormats.byName("haproxy:host,user agent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'user agent' in haproxy:host,user agent is not a header name");
  }

  /** A request line without a version is HTTP/0.9's, as a server and ModSecurity read it. */
  @Test
  void aRequestLineWithoutAVersionIsHttp09() throws Exception {
    LineParser p = LogFormats.byName("combined").newParser();
    Request r = p.parse("192.0.2.1 - - [10/Feb/2013:10:00:00 +0000] \"GET /cgi-bin/x\" 400 0"
        + " \"-\" \"-\"");
    assertThat(r.protocol()).isEqualTo("HTTP/0.9");
    assertThat(r.target()).isEqualTo("/cgi-bin/x");
    assertThat(p.parse("192.0.2.1 - - [10/Feb/2013:10:00:00 +0000] \"\\x16\\x03\\x01\" 400 0"
        + " \"-\" \"-\"").protocol()).as("garbage, not a request line").isNull();
  }

  @Test
  void haproxyLogsAreDetected() {
    String line = "haproxy[1]: 192.0.2.22:33317 [10/Feb/2013:10:00:00.655] fe be/s 1/2/3/4/5"
        + " 200 10 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"";
    assertThat(LogFormats.detect(List.of(line, line)).format().name()).isEqualTo("haproxy");
  }

  static Stream<Arguments> badLines() {
    return Stream.of(
        Arguments.of("combined", "garbage", "unparseable"),
        Arguments.of("combined", "1.2.3.4 - - [99/Foo/2013:00:00:00 +0000] \"GET / HTTP/1.1\""
            + " 200 1 \"-\" \"-\"", "bad-time"),
        Arguments.of("combined", "1.2.3.4 - - [01/Feb/2013:00:00:00 +0000] \"GET / HTTP/1.1\""
            + " abc 1 \"-\" \"-\"", "bad-status"),
        Arguments.of("combined", "1.2.3.4 - - [01/Feb/2013:00:00:00 +0000] \"GET / HTTP/1.1",
            "unparseable"),
        Arguments.of("json", "{\"remote_addr\":\"1.2.3.4\",", "bad-json"),
        Arguments.of("json", "{\"remote_addr\":\"1.2.3.4\"}", "missing-time"),
        Arguments.of("alb", "http 2013 x", "unparseable"),
        Arguments.of("haproxy", "192.0.2.1:1 [10/Feb/2013:10:00:00.000] fe be/s 1/2/3/4/5 200",
            "unparseable"),
        Arguments.of("haproxy", "haproxy[1]: Proxy fe started.", "unparseable"),
        Arguments.of("haproxy", "192.0.2.1:1 [10/Feb/2013:10:00:00.000] fe be/s 1/2/3/4/5 200"
            + " 10 - - ---- 1/1/1/1/0 0/0", "unparseable"));
  }

  @ParameterizedTest
  @MethodSource("badLines")
  void badLinesGiveAReason(String format, String line, String reason) {
    assertThatThrownBy(() -> LogFormats.byName(format).newParser().parse(line))
        .isInstanceOf(BadLineException.class).extracting(e -> ((BadLineException) e).reason())
        .isEqualTo(reason);
  }

  @Test
  void detectsFormatsFromSamples() {
    String combined = "192.0.2.1 - - [01/Feb/2013:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1"
        + " \"-\" \"ua\"";
    String common = "192.0.2.1 - - [01/Feb/2013:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1";
    String vhost = "a.example:80 " + combined;
    String json = "{\"remote_addr\":\"192.0.2.1\",\"time_iso8601\":\"2013-02-01T00:00:00Z\","
        + "\"request\":\"GET / HTTP/1.1\",\"status\":200}";
    assertThat(LogFormats.detect(List.of(combined, combined)).format().name())
        .isEqualTo("combined");
    assertThat(LogFormats.detect(List.of(common)).format().name()).isEqualTo("common");
    assertThat(LogFormats.detect(List.of(vhost)).format().name()).isEqualTo("vhost_combined");
    assertThat(LogFormats.detect(List.of(json)).format().name()).isEqualTo("json");
    assertThat(LogFormats.detect(List.of("not a log line", "\u0001\u0002"))).isNull();
  }

  @Test
  void unknownFormatsAndBadLayoutsAreExplained() {
    assertThatThrownBy(() -> LogFormats.byName("squid")).hasMessageContaining("unknown log"
        + " format 'squid'");
    assertThatThrownBy(() -> LogFormats.byName("apache:%h%u")).hasMessageContaining(
        "separator");
    assertThatThrownBy(() -> LogFormats.byName("apache:%h %{%H:%M}t")).hasMessageContaining(
        "not supported");
  }
}
