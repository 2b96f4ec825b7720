package org.evident.log;

import java.util.List;

/** A format defined by a {@link Template}; stateless, so every source may share one parser. */
final class TemplateFormat implements LogFormat, LineParser {
  private final String name;
  private final Template template;
  private final String[] literals;
  private final Field[] fields;
  private final boolean[] quoted;
  /** The header each {@link Field#HEADER} field holds. */
  private final String[] names;
  private final java.time.ZoneId zone;
  /** The headers its fields hold, the same for every line. */
  private final java.util.Set<Header> held;

  TemplateFormat(String name, Template template) {
    this(name, template, null);
  }

  private TemplateFormat(String name, Template template, java.time.ZoneId zone) {
    this.name = name;
    this.template = template;
    this.zone = zone;
    List<Template.Literal> lits = template.literals();
    this.literals = new String[lits.size()];
    for (int i = 0; i < literals.length; i++) {
      literals[i] = lits.get(i).text();
    }
    this.fields = template.fields().toArray(new Field[0]);
    this.names = template.names().toArray(new String[0]);
    this.quoted = new boolean[fields.length];
    java.util.Set<Header> h = java.util.EnumSet.noneOf(Header.class);
    for (int i = 0; i < fields.length; i++) {
      quoted[i] = literals[i].endsWith("\"") && literals[i + 1].startsWith("\"");
      switch (fields[i]) {
        case USER_AGENT -> h.add(Header.USER_AGENT);
        case REFERER -> h.add(Header.REFERER);
        case HOST_HEADER -> h.add(Header.HOST);
        default -> { }
      }
    }
    this.held = java.util.Set.copyOf(h);
  }

  @Override
  public String name() {
    return zone == null ? name : name + "@" + zone;
  }

  @Override
  public LogFormat inZone(java.time.ZoneId z) {
    return new TemplateFormat(name, template, z);
  }

  /** The layout this format was compiled from. */
  String source() {
    return template.source();
  }

  @Override
  public LineParser newParser() {
    return this;
  }

  @Override
  public Request parse(String line) throws BadLineException {
    RequestFields out = new RequestFields(zone);
    out.held = held;
    int p = 0;
    int n = line.length();
    if (!line.startsWith(literals[0])) {
      throw new BadLineException("unparseable");
    }
    p = literals[0].length();
    for (int i = 0; i < fields.length; i++) {
      String next = literals[i + 1];
      int end;
      if (next.isEmpty()) {
        if (i + 1 != fields.length) {
          throw new BadLineException("unparseable");
        }
        end = n;
      } else if (quoted[i]) {
        end = closingQuote(line, p, next);
      } else if (next.length() == 1) {
        // an IPv6 host in brackets holds the colon before the port (%v:%p): "[::1]:80"
        int from = (fields[i] == Field.HOST || fields[i] == Field.HOST_HEADER) && p < n && line.charAt(p) == '['
            ? Math.max(p, line.indexOf(']', p)) : p;
        end = line.indexOf(next.charAt(0), from);
      } else {
        end = line.indexOf(next, p);
      }
      if (end < 0) {
        throw new BadLineException("unparseable");
      }
      if (fields[i] == Field.HEADER) {
        out.header(names[i], line.substring(p, end), quoted[i]);
      } else if (fields[i] != Field.IGNORED) {
        out.set(fields[i], line, p, end, quoted[i]);
      }
      p = end + next.length();
    }
    if (p < n && !literals[literals.length - 1].isEmpty()) {
      // trailing text after the last literal: formats often gain fields at the end; accept it
      p = n;
    }
    return out.toRequest();
  }

  /**
   * The index of the quote that ends a quoted field, skipping backslash escapes. Jumps from quote
   * to quote ({@code indexOf} is vectorised; a loop over characters was half the parse): a quote
   * is escaped when an odd run of backslashes, counted from the field's start, precedes it.
   */
  private static int closingQuote(String line, int from, String next) {
    int i = line.indexOf('"', from);
    while (i >= 0) {
      int k = i;
      while (k > from && line.charAt(k - 1) == '\\') {
        k--;
      }
      if (((i - k) & 1) == 0 && line.startsWith(next, i)) {
        return i;
      }
      i = line.indexOf('"', i + 1);
    }
    return -1;
  }
}
