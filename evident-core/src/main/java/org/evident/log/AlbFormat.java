package org.evident.log;

import java.util.ArrayList;
import java.util.List;

/** AWS Application Load Balancer access logs (space separated, some fields quoted). */
final class AlbFormat implements LogFormat, LineParser {

  @Override
  public String name() {
    return "alb";
  }

  @Override
  public LineParser newParser() {
    return this;
  }

  @Override
  public Request parse(String line) throws BadLineException {
    List<String> t = tokens(line);
    if (t.size() < 14) {
      throw new BadLineException("unparseable");
    }
    String type = t.get(0);
    if (!(type.equals("http") || type.equals("https") || type.equals("h2")
        || type.equals("ws") || type.equals("wss") || type.equals("grpcs"))) {
      throw new BadLineException("unparseable");
    }
    RequestFields out = new RequestFields();
    out.set(Field.TIME_ISO, t.get(1), false);
    String client = t.get(3);
    int colon = client.lastIndexOf(':');
    out.set(Field.CLIENT_IP, colon > 0 ? client.substring(0, colon) : client, false);
    String status = t.get(8);
    if (!RequestFields.absent(status)) {
      out.set(Field.STATUS, status, false);
    }
    out.set(Field.BYTES, t.get(11), false);
    out.requestLine(RequestFields.absent(t.get(12)) ? null : t.get(12));
    out.set(Field.USER_AGENT, t.get(13), true);
    if (t.size() > 18) {
      out.set(Field.HOST, t.get(18), true);
    }
    out.originForm(); // the request line carries an absolute URL
    return out.toRequest();
  }

  /** Splits on spaces, keeping double-quoted runs whole (without their quotes). */
  static List<String> tokens(String line) throws BadLineException {
    List<String> out = new ArrayList<>(30);
    int n = line.length();
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ') {
        i++;
        continue;
      }
      if (c == '"') {
        int j = i + 1;
        while (j < n && line.charAt(j) != '"') {
          if (line.charAt(j) == '\\') {
            j++;
          }
          j++;
        }
        if (j >= n) {
          throw new BadLineException("unparseable");
        }
        out.add(line.substring(i + 1, j));
        i = j + 1;
      } else {
        int j = line.indexOf(' ', i);
        if (j < 0) {
          j = n;
        }
        out.add(line.substring(i, j));
        i = j;
      }
    }
    return out;
  }
}
