package org.evident.log;

import java.util.Locale;

/**
 * W3C extended log files as IIS and Amazon CloudFront write them. The {@code #Fields:} directive
 * names the columns; a parser keeps the latest one, which is why this format's parsers are per
 * source. IIS separates fields by spaces and writes a space in a field as {@code +}; CloudFront
 * separates them by tabs, percent-encodes its User-Agent field, and logs the Host header the
 * visitor sent as {@code x-host-header} beside its own distribution's name ({@code cs(Host)}).
 * Logs without the directive name their columns in the format instead,
 * {@code w3c:timestamp,c-ip,sc-status,...}: CloudFront's real-time logs (the fields their
 * configuration selects, in CloudFront's order; the time in seconds since the epoch), or an IIS
 * log whose header lines were cut off.
 */
final class W3cFormat implements LogFormat {
  static final String PREFIX = "w3c:";
  static final String IIS_DEFAULT = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port"
      + " cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status"
      + " time-taken";

  /** The columns named in the format, or null for IIS's default until a directive names them. */
  private final String[] named;

  W3cFormat() {
    this(null);
  }

  private W3cFormat(String[] named) {
    this.named = named;
  }

  /**
   * The format whose columns are {@code fields}, separated by commas or spaces.
   *
   * @throws IllegalArgumentException naming what is wrong, for a user to act on
   */
  static W3cFormat columns(String fields) {
    String[] cols = fields.strip().split("[,\\s]+");
    if (cols[0].isEmpty()) {
      throw new IllegalArgumentException("w3c: needs the log's fields in order, e.g."
          + " w3c:timestamp,c-ip,sc-status,cs-method,cs-uri-stem");
    }
    for (String c : cols) {
      if (!c.matches("[A-Za-z0-9()_.-]+")) {
        throw new IllegalArgumentException("'" + c + "' in w3c:" + fields + " is not a W3C field"
            + " name; list the log's fields in order, as a #Fields: line would");
      }
    }
    return new W3cFormat(cols);
  }

  @Override
  public String name() {
    return named == null ? "w3c" : PREFIX + String.join(",", named);
  }

  @Override
  public LineParser newParser() {
    Parser p = new Parser();
    if (named != null) {
      p.columns = named;
    }
    return p;
  }

  private static final class Parser implements LineParser {
    private String[] columns = IIS_DEFAULT.split(" ");
    /** The headers {@link #heldFor} holds (the Host only as a name of the site: not held). */
    private java.util.Set<Header> held = java.util.Set.of();
    private String[] heldFor;

    private java.util.Set<Header> held() {
      if (heldFor != columns) {
        java.util.Set<Header> h = java.util.EnumSet.noneOf(Header.class);
        for (String c : columns) {
          switch (c.toLowerCase(Locale.ROOT)) {
            case "cs(user-agent)", "cs-user-agent" -> h.add(Header.USER_AGENT);
            case "cs(referer)", "cs-referer" -> h.add(Header.REFERER);
            default -> { }
          }
        }
        held = java.util.Set.copyOf(h);
        heldFor = columns;
      }
      return held;
    }

    @Override
    public LineParser copy() {
      Parser p = new Parser();
      p.columns = columns;
      return p;
    }

    @Override
    public String state() {
      return "#Fields: " + String.join(" ", columns);
    }

    @Override
    public Request parse(String line) throws BadLineException {
      if (line.startsWith("#")) {
        if (line.startsWith("#Fields:")) {
          columns = line.substring(8).trim().split("\\s+");
        }
        return null;
      }
      boolean tabs = line.indexOf('\t') >= 0;
      String[] v = line.split(tabs ? "\t" : " ", -1);
      if (v.length != columns.length) {
        throw new BadLineException("unparseable");
      }
      RequestFields out = new RequestFields();
      out.held = held();
      String date = null;
      String time = null;
      String epoch = null;
      int hostRank = 0; // the visitor's Host header over the server's or distribution's name
      for (int i = 0; i < v.length; i++) {
        String raw = v[i];
        String column = columns[i].toLowerCase(Locale.ROOT);
        int rank = HOST_COLUMNS.indexOf(column) + 1;
        if (rank > 0) {
          if (rank > hostRank && !RequestFields.absent(raw)) {
            out.set(Field.HOST, raw, false);
            hostRank = rank;
          }
          continue;
        }
        switch (column) {
          case "date" -> date = raw;
          case "time" -> time = raw;
          case "timestamp" -> epoch = raw; // CloudFront's real-time logs: 1607010000.123
          case "c-ip" -> out.set(Field.CLIENT_IP, raw, false);
          case "cs-method" -> out.set(Field.METHOD, raw, false);
          case "cs-uri-stem" -> out.set(Field.PATH, raw, false);
          case "cs-uri-query" -> out.set(Field.QUERY, raw, false);
          case "cs-uri" -> out.set(Field.URI, raw, false);
          case "cs-version" -> out.set(Field.PROTOCOL, raw, false);
          case "sc-status" -> out.set(Field.STATUS, raw, false);
          case "sc-bytes" -> out.set(Field.BYTES, raw, false);
          case "cs(user-agent)", "cs-user-agent" -> out.set(Field.USER_AGENT,
              tabs ? RequestFields.percentDecoded(raw) : raw.replace('+', ' '), false);
          case "cs(referer)", "cs-referer" -> out.set(Field.REFERER, raw, false);
          case "cs-protocol-version" -> out.set(Field.PROTOCOL, raw, false);
          // IIS writes a space in a field as '+': "8.8.8.8,+10.0.0.8"
          case "x-forwarded-for", "cs(x-forwarded-for)" ->
              out.set(Field.FORWARDED_FOR, raw.replace('+', ' '), false);
          default -> {
            // any other header the log names: cs(Cookie), cs(Accept-Language); IIS writes its
            // spaces as '+', CloudFront percent-encodes them, as in the User-Agent
            if (column.startsWith("cs(") && column.endsWith(")") && column.length() > 4) {
              out.header(column.substring(3, column.length() - 1),
                  tabs ? RequestFields.percentDecoded(raw) : raw.replace('+', ' '), false);
            }
          }
        }
      }
      if (epoch != null) {
        out.set(Field.TIME_EPOCH_SECONDS, epoch, false);
      } else if (date == null || time == null) {
        throw new BadLineException("missing-time");
      } else {
        out.set(Field.TIME_ISO, date + "T" + time + "Z", false);
      }
      return out.toRequest();
    }
  }

  /** Columns naming the site, weakest first. */
  private static final java.util.List<String> HOST_COLUMNS =
      java.util.List.of("s-sitename", "cs(host)", "cs-host", "x-host-header");
}
