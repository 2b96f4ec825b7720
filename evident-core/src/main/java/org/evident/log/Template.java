package org.evident.log;

import java.util.List;

/**
 * A compiled log line layout: literals and fields in order. Apache {@code LogFormat} strings and
 * nginx {@code log_format} strings both compile to this, so one parser serves both.
 */
record Template(String source, List<Literal> literals, List<Field> fields, List<String> names) {
  // literals.get(i) precedes fields.get(i); literals has one more entry (the tail); names.get(i)
  // is the header a Field.HEADER holds (lower case), or COOKIE and a cookie's name as logged
  // (Apache's %{sid}C, nginx's $cookie_sid), null for other fields

  /**
   * Before a cookie's name in {@link #names}: no header name holds {@code =}, so the two never
   * meet.
   */
  static final String COOKIE = "cookie=";

  record Literal(String text) {}

  static final class Builder {
    private final String source;
    private final StringBuilder pending = new StringBuilder();
    private final java.util.ArrayList<Literal> literals = new java.util.ArrayList<>();
    private final java.util.ArrayList<Field> fields = new java.util.ArrayList<>();
    private final java.util.ArrayList<String> names = new java.util.ArrayList<>();

    Builder(String source) {
      this.source = source;
    }

    Builder literal(char c) {
      pending.append(c);
      return this;
    }

    Builder field(Field f) {
      if (f == Field.QUERY && !fields.isEmpty() && pending.length() == 0
          && fields.get(fields.size() - 1) == Field.PATH) {
        // Apache's %U%q: the query carries its own '?', so the pair is simply the target
        fields.set(fields.size() - 1, Field.URI);
        return this;
      }
      if (!fields.isEmpty() && pending.length() == 0) {
        throw new IllegalArgumentException(
            "two fields without a separator between them cannot be told apart");
      }
      literals.add(new Literal(pending.toString()));
      pending.setLength(0);
      fields.add(f);
      names.add(null);
      return this;
    }

    /** A field that holds the request header {@code name}. */
    Builder header(String name) {
      field(Field.HEADER);
      names.set(names.size() - 1, name.toLowerCase(java.util.Locale.ROOT));
      return this;
    }

    /** A field that holds the value of the cookie {@code name} (its case kept, as sent). */
    Builder cookie(String name) {
      if (name.isEmpty() || name.indexOf(';') >= 0 || name.indexOf('=') >= 0) {
        throw new IllegalArgumentException("'" + name + "' is not a cookie name");
      }
      field(Field.HEADER);
      names.set(names.size() - 1, COOKIE + name);
      return this;
    }

    Template build() {
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("the format has no fields");
      }
      literals.add(new Literal(pending.toString()));
      return new Template(source, List.copyOf(literals), List.copyOf(fields),
          java.util.Collections.unmodifiableList(new java.util.ArrayList<>(names)));
    }
  }
}
