package org.evident.detect;

import java.util.List;
import java.util.Locale;

/** Case-insensitive phrase match over a word list, one pass with an Aho-Corasick automaton. */
final class Pm implements Operator {
  private final List<String> phrases;
  private final AhoCorasick automaton;

  Pm(List<String> phrases) {
    this.phrases = phrases.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    this.automaton = new AhoCorasick(this.phrases);
  }

  @Override
  public String name() {
    return "pm";
  }

  @Override
  public String find(String input) {
    int hit = automaton.first(input);
    return hit < 0 ? null : phrases.get(hit);
  }

  @Override
  public List<String> requiredLiterals() {
    return phrases;
  }
}
