package org.evident.detect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The further conditions of a chained SecLang rule: the rule matches only when its first line
 * matched and every condition holds. Conditions look at request values like any rule, or at what
 * the first line matched ({@code MATCHED_VAR(S)}, its captures {@code TX:0}-{@code TX:9}, and
 * transaction variables it set from them). Evaluated only for requests the first line already
 * matched, so the cost falls on the rare, suspicious request.
 *
 * @param conditions in order
 * @param setvars transaction variables the first line sets: name (lower case) to a template
 *     that may use {@code %{tx.N}} and {@code %{matched_var}}
 */
record Chain(List<Condition> conditions, Map<String, String> setvars) {

  private static final Transformation ARGUMENT_PARSER = UrlDecodeUni.argumentParser();

  /**
   * Keeps only the transaction variables the conditions read (by name, by prefix or in a macro of
   * an operator's argument), and those the kept ones read: the setup's dozens of TX values are
   * otherwise copied and expanded for every request the first line matches. Order is kept, so
   * a variable set from an earlier one sees it.
   */
  Chain {
    StringBuilder reads = new StringBuilder();
    List<String> prefixes = new ArrayList<>();
    for (Condition c : conditions) {
      if (c.special() != null && c.special().startsWith("TX:")) {
        String name = c.special().substring(3);
        if (name.endsWith("*")) {
          prefixes.add(name.substring(0, name.length() - 1));
        } else {
          reads.append("%{tx.").append(name).append('}');
        }
      }
      if (c.operator() instanceof MacroOperator m) {
        reads.append(m.template().toLowerCase(Locale.ROOT));
      }
    }
    Map<String, String> kept = new java.util.LinkedHashMap<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<String, String> e : setvars.entrySet()) {
        String n = e.getKey();
        if (!kept.containsKey(n) && (reads.indexOf("%{tx." + n + "}") >= 0
            || prefixes.stream().anyMatch(n::startsWith))) {
          kept.put(n, e.getValue());
          reads.append(e.getValue().toLowerCase(Locale.ROOT));
          grew = true;
        }
      }
    }
    Map<String, String> ordered = new java.util.LinkedHashMap<>();
    setvars.forEach((k, v) -> {
      if (kept.containsKey(k)) {
        ordered.put(k, v);
      }
    });
    setvars = java.util.Collections.unmodifiableMap(ordered);
  }

  /**
   * One condition.
   *
   * @param targets request values it looks at (may be empty when it looks at {@code special})
   * @param special {@code MATCHED_VAR}, {@code MATCHED_VARS}, {@code TX:NAME}, {@code TX:PREFIX*}
   *     (every transaction variable whose name starts so), or null
   * @param selectors the arguments it reads by name, as {@link Rule#selectors()}
   */
  record Condition(Set<Target> targets, String special, List<Transformation> chain,
      Operator operator, Map<Target, ArgumentSelector> selectors) {

    Condition {
      selectors = Map.copyOf(selectors);
    }

    Condition(Set<Target> targets, String special, List<Transformation> chain,
        Operator operator) {
      this(targets, special, chain, operator, Map.of());
    }

    ArgumentSelector selector(Target t) {
      return selectors.getOrDefault(t, ArgumentSelector.ALL);
    }
  }

  /**
   * Whether the outcome depends only on the values the first line looked at: every condition
   * reads what it matched or transaction variables, and no argument names a request header.
   */
  boolean readsOnlyHead() {
    for (Condition c : conditions) {
      if (c.special() == null || c.operator() instanceof MacroOperator m
          && (m.template().toLowerCase(Locale.ROOT).contains("%{request_headers.")
              || m.template().toLowerCase(Locale.ROOT).contains("%{args."))) {
        return false;
      }
    }
    return true;
  }

  /*
   * holds() is a few small methods rather than one: with CRS it runs for many requests (some
   * chains' first lines match a third of ordinary ones), and the JIT compiled the single method
   * mid-loop with everything inlined, then again (0.3 s of compiler time in a 1M-line scan).
   */

  /** Whether the chain holds for a request whose first line (the head rule) matched. */
  boolean holds(Rule head, RequestTargets values) {
    // what the head matched: the raw values it fired on and the captures of the first
    List<String> matched = new ArrayList<>();
    List<String[]> captures = new ArrayList<>();
    headMatches(head, values, matched, captures);
    if (captures.isEmpty()) {
      return false; // the head fired on a cached value the request no longer has: be strict
    }
    String matchedVar = matched.get(0);
    Map<String, String> tx = transaction(captures, matched);
    for (Condition c : conditions) {
      if (!holds(c, inputs(c, values, tx, matched), tx, matchedVar, values)) {
        return false;
      }
    }
    return true;
  }

  /** Adds the values the head matched to {@code matched}, and their captures to {@code caught}. */
  private static void headMatches(Rule head, RequestTargets values, List<String> matched,
      List<String[]> caught) {
    for (Target t : head.targets()) {
      for (String raw : values.values(t, head.selector(t))) {
        String x = Transformations.applyAll(head.transformations(), raw);
        String[] c = captures(head.operator(), x);
        if (c != null) {
          matched.add(x); // as the head saw it, after its transformations
          caught.add(c);
        }
      }
    }
  }

  /**
   * The transaction variables: the first match's captures, then the variables the head sets.
   * ModSecurity sets them once for each value the head matched; a variable whose name holds a
   * macro ({@code tx.header_name_920450_%{tx.0}}, CRS 920450 on each header name) is one
   * variable per value, which a later {@code TX:/^header_name_920450_/} reads all of.
   */
  private Map<String, String> transaction(List<String[]> captures, List<String> matched) {
    Map<String, String> tx = txOf(captures.get(0));
    for (Map.Entry<String, String> e : setvars.entrySet()) {
      if (e.getKey().indexOf("%{") < 0) {
        tx.put(e.getKey(), expand(e.getValue(), tx, matched.get(0)));
        continue;
      }
      for (int k = 0; k < captures.size(); k++) {
        Map<String, String> own = txOf(captures.get(k));
        tx.put(expand(e.getKey(), own, matched.get(k)).toLowerCase(Locale.ROOT),
            expand(e.getValue(), own, matched.get(k)));
      }
    }
    return tx;
  }

  private static Map<String, String> txOf(String[] captures) {
    Map<String, String> tx = new HashMap<>();
    for (int i = 0; i < captures.length; i++) {
      if (captures[i] != null) {
        tx.put(Integer.toString(i), captures[i]);
      }
    }
    return tx;
  }

  /** The values condition {@code c} reads. */
  private static List<String> inputs(Condition c, RequestTargets values, Map<String, String> tx,
      List<String> matched) {
    List<String> in = new ArrayList<>();
    if (c.special() == null) {
      for (Target t : c.targets()) {
        in.addAll(values.values(t, c.selector(t)));
      }
    } else if (c.special().equals("MATCHED_VAR")) {
      in.add(matched.get(0));
    } else if (c.special().equals("MATCHED_VARS")) {
      in.addAll(matched);
    } else if (c.special().endsWith("*")) {
      String prefix = c.special().substring(3, c.special().length() - 1);
      tx.forEach((k, v) -> {
        if (k.startsWith(prefix)) {
          in.add(v);
        }
      });
    } else {
      String v = tx.get(c.special().substring(3).toLowerCase(Locale.ROOT));
      if (v != null) {
        in.add(v);
      }
    }
    return in;
  }

  /** Whether condition {@code c} holds for one of {@code in}; a match's captures go to tx. */
  private static boolean holds(Condition c, List<String> in, Map<String, String> tx,
      String matchedVar, RequestTargets values) {
    Operator op = c.operator();
    if (op instanceof MacroOperator m) {
      op = m.bind(t -> expandRequest(t, tx, matchedVar, values));
    }
    for (String raw : in) {
      String x = Transformations.applyAll(c.chain(), raw);
      String[] caught = op instanceof Rx rx ? rx.captures(x) : null;
      if (caught != null) {
        for (int i = 0; i < caught.length; i++) {
          tx.put(Integer.toString(i), caught[i] == null ? "" : caught[i]); // capture
        }
        return true;
      }
      if (!(op instanceof Rx) && op.find(x) != null) {
        return true;
      }
    }
    return false;
  }

  private static String[] captures(Operator op, String input) {
    if (op instanceof Rx rx) {
      return rx.captures(input);
    }
    String f = op.find(input);
    return f == null ? null : new String[] {f};
  }

  /**
   * Expands transaction and request macros in an operator argument: the rule's own macros
   * first, so the pattern only ever reads rule text, then the request's header values and query
   * arguments ({@code %{ARGS._method}}, decoded as ModSecurity's argument parser decodes; empty
   * when the request has no such argument).
   */
  private static String expandRequest(String template, Map<String, String> tx, String matchedVar,
      RequestTargets values) {
    String t = expand(template, tx, matchedVar);
    if (t.indexOf("%{") < 0) {
      return t;
    }
    for (String header : new String[] {"host", "user-agent", "referer"}) {
      String macro = "%{request_headers." + header + "}";
      int at = t.toLowerCase(Locale.ROOT).indexOf(macro);
      if (at >= 0) {
        Target target = header.equals("host") ? Target.HOST
            : header.equals("referer") ? Target.REFERER : Target.USER_AGENT;
        List<String> v = values.values(target);
        t = t.substring(0, at) + (v.isEmpty() ? "" : v.get(0)) + t.substring(at + macro.length());
      }
    }
    int at = t.toLowerCase(Locale.ROOT).indexOf("%{args.");
    while (at >= 0) {
      int end = t.indexOf('}', at);
      if (end < 0) {
        break;
      }
      String v = values.argument(t.substring(at + "%{args.".length(), end));
      String value = v == null ? "" : ARGUMENT_PARSER.apply(v);
      t = t.substring(0, at) + value + t.substring(end + 1);
      at = t.toLowerCase(Locale.ROOT).indexOf("%{args.", at + value.length());
    }
    return t;
  }

  /**
   * Replaces {@code %{tx.NAME}} and {@code %{matched_var}} (any case) in rule text; other macros
   * are left for {@link #expandRequest}. A scan by hand: this runs for every request a chain's
   * first line matches, and most templates hold no macro at all.
   */
  private static String expand(String template, Map<String, String> tx, String matchedVar) {
    int at = template.indexOf("%{");
    if (at < 0) {
      return template;
    }
    StringBuilder b = new StringBuilder(template.length() + 32);
    int from = 0;
    while (at >= 0) {
      int end = template.indexOf('}', at + 2);
      if (end < 0) {
        break;
      }
      String name = template.substring(at + 2, end).toLowerCase(Locale.ROOT);
      String v = null;
      if (name.equals("matched_var")) {
        v = matchedVar;
      } else if (name.startsWith("tx.") && name.length() > 3 && isName(name, 3)) {
        v = tx.getOrDefault(name.substring(3), "");
      }
      if (v != null) {
        b.append(template, from, at).append(v);
        from = end + 1;
      }
      at = template.indexOf("%{", end + 1);
    }
    return b.append(template, from, template.length()).toString();
  }

  private static boolean isName(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
