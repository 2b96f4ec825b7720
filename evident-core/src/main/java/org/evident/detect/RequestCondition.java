package org.evident.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.evident.log.Request;

/**
 * One line of a runtime exclusion, on a part of the request a log holds. ModSecurity takes rules
 * out ({@code ctl:ruleRemove...}) only for a request that every line of the exclusion's chain
 * matched: WordPress's password fields on {@code /wp-login.php} only with
 * {@code action=resetpass}, Apache's own {@code GET /} only from {@code 127.0.0.1}. Tested only
 * when a match the exclusion could excuse came up, so a clean request never pays for it.
 *
 * @param variables what it reads; the condition holds when any value meets the operator
 * @param transformations applied to each value before the operator
 * @param operator the test
 * @param none whether it holds when no value meets the operator instead: a section skipped
 *     when its condition holds (WordPress's {@code !@contains /wp-admin/}) runs when it does not
 */
record RequestCondition(List<Variable> variables, List<Transformation> transformations,
    Operator operator, boolean none) implements Predicate<Request> {

  /**
   * One SecLang variable.
   *
   * @param target the request value it reads, or {@code null} for the client address
   *     ({@code REMOTE_ADDR})
   * @param arg for a target read by name ({@link Target#selectable}), the arguments, headers
   *     or cookies it reads ({@code ARGS:action}, or {@code ARGS:/^json\./} by a pattern; names
   *     compared as ModSecurity does, decoded and in any case), or {@code null} for all
   * @param count whether it reads how many values there are ({@code &ARGS:action}), not them
   */
  record Variable(Target target, ArgumentSelector.Key arg, boolean count) {

    /** {@code arg} as the variable's key writes it: a name or {@code /pattern/}. */
    Variable(Target target, String arg, boolean count) {
      this(target, arg == null ? null : ArgumentSelector.Key.parse(arg), count);
    }
  }

  private static final Transformation ARGUMENT_PARSER = UrlDecodeUni.argumentParser();

  @Override
  public boolean test(Request request) {
    return test(request, new RequestTargets(request));
  }

  /** Every one of {@code conditions}, the request's values split once for them all. */
  static Predicate<Request> all(List<RequestCondition> conditions) {
    if (conditions.size() == 1) {
      return conditions.get(0);
    }
    List<RequestCondition> all = List.copyOf(conditions);
    return request -> {
      RequestTargets values = new RequestTargets(request);
      for (RequestCondition c : all) {
        if (!c.test(request, values)) {
          return false;
        }
      }
      return true;
    };
  }

  private boolean test(Request request, RequestTargets values) {
    for (Variable v : variables) {
      for (String value : values(v, request, values)) {
        String x = v.count() ? value : Transformations.applyAll(transformations,
            v.target() == Target.ARGS || v.target() == Target.ARGS_NAMES
                ? ARGUMENT_PARSER.apply(value) : value);
        if (operator.find(x) != null) {
          return !none;
        }
      }
    }
    return none;
  }

  private static List<String> values(Variable v, Request request, RequestTargets values) {
    List<String> out;
    if (v.target() == null) {
      out = request.clientIp() == null ? List.of() : List.of(request.clientIp());
    } else if (v.arg() == null) {
      out = values.values(v.target());
    } else {
      out = new ArrayList<>(1);
      List<String> names = values.names(v.target());
      List<String> all = values.values(v.target());
      for (int i = 0; i < names.size(); i++) {
        if (v.arg().matches(ArgumentSelector.name(names.get(i)))) {
          out.add(all.get(i));
        }
      }
    }
    return v.count() ? List.of(Integer.toString(out.size())) : out;
  }
}
