package org.evident.log;

import java.util.Locale;

/**
 * W3C extended log files as IIS writes them. The {@code #Fields:} directive names the columns; a
 * parser keeps the latest one, which is why this format's parsers are per source.
 */
final class W3cFormat implements LogFormat {
  static final String IIS_DEFAULT = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port"
      + " cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status"
      + " time-taken";

  @Override
  public String name() {
    return "w3c";
  }

  @Override
  public LineParser newParser() {
    return new Parser();
  }

  private static final class Parser implements LineParser {
    private String[] columns = IIS_DEFAULT.split(" ");

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
      String[] v = line.split(" ", -1);
      if (v.length != columns.length) {
        throw new BadLineException("unparseable");
      }
      RequestFields out = new RequestFields();
      String date = null;
      String time = null;
      for (int i = 0; i < v.length; i++) {
        String raw = v[i];
        switch (columns[i].toLowerCase(Locale.ROOT)) {
          case "date" -> date = raw;
          case "time" -> time = raw;
          case "c-ip" -> out.set(Field.CLIENT_IP, raw, false);
          case "cs-method" -> out.set(Field.METHOD, raw, false);
          case "cs-uri-stem" -> out.set(Field.PATH, raw, false);
          case "cs-uri-query" -> out.set(Field.QUERY, raw, false);
          case "cs-uri" -> out.set(Field.URI, raw, false);
          case "cs-version" -> out.set(Field.PROTOCOL, raw, false);
          case "sc-status" -> out.set(Field.STATUS, raw, false);
          case "sc-bytes" -> out.set(Field.BYTES, raw, false);
          case "cs(user-agent)" -> out.set(Field.USER_AGENT, raw.replace('+', ' '), false);
          case "cs(referer)" -> out.set(Field.REFERER, raw, false);
          case "cs-host", "s-sitename" -> {
            if (out.host == null || columns[i].equalsIgnoreCase("cs-host")) {
              out.set(Field.HOST, raw, false);
            }
          }
          // IIS writes a space in a field as '+': "8.8.8.8,+10.0.0.8"
          case "x-forwarded-for", "cs(x-forwarded-for)" ->
              out.set(Field.FORWARDED_FOR, raw.replace('+', ' '), false);
          default -> { }
        }
      }
      if (date == null || time == null) {
        throw new BadLineException("missing-time");
      }
      out.set(Field.TIME_ISO, date + "T" + time + "Z", false);
      return out.toRequest();
    }
  }
}
