package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The case-orbit table in the jar against its two sources of truth: the JDK's case mappings,
 * which made it, and RE2/J's own folding, which the screens fold exactly as.
 * Regenerate on purpose with {@code mvn test -pl evident-core -Dtest=CaseOrbitsTest
 * -Dgolden.update=true} and review the diff.
 */
class CaseOrbitsTest {
  private static final Path TABLE =
      Path.of("src/main/resources/org/evident/detect/case-orbits.txt");

  @Test
  void theTableIsWhatTheJdksCaseMappingsRelate() throws Exception {
    String file = Files.readString(TABLE, StandardCharsets.US_ASCII);
    StringBuilder header = new StringBuilder();
    List<String> rows = new ArrayList<>();
    for (String line : file.split("\n")) {
      if (line.startsWith("#")) {
        header.append(line).append('\n');
      } else if (!line.isBlank()) {
        rows.add(line);
      }
    }
    List<String> expected = fromJdk();
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(TABLE, header + String.join("\n", expected) + "\n",
          StandardCharsets.US_ASCII);
      rows = expected;
    }
    assertThat(rows).containsExactlyElementsOf(expected);
    assertThat(CaseOrbits.of('k')).containsExactly('K', 0x212A);
    assertThat(CaseOrbits.of(0x17F)).containsExactly('S', 's');
    assertThat(CaseOrbits.of('1')).isEmpty();
  }

  /**
   * Every character RE2/J folds {@code c} to is in {@code c}'s orbit: the orbits are the JDK's,
   * and RE2/J's folding may not be wider.
   */
  @Test
  void everyOrbitHoldsWhatRe2Folds() throws Exception {
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (int c = 0; c <= 0xFFFF; c++) {
      if (Character.isSurrogate((char) c)) {
        continue;
      }
      for (int folded : re2Folds(c)) {
        checked++;
        if (java.util.Arrays.stream(CaseOrbits.of(c)).noneMatch(x -> x == folded)) {
          missing.add(String.format("U+%04X -> U+%04X", c, folded));
        }
      }
    }
    assertThat(missing).isEmpty();
    assertThat(checked).isGreaterThan(2000);
  }

  /**
   * What the screens fold a character to is exactly what RE2/J folds it to, for every character
   * of the plane: wider, a screen's "surely matches" would be wrong (the JDK relates the dotted
   * capital I to i, RE2/J does not); narrower, its "cannot match".
   */
  @Test
  void inRe2IsExactlyWhatRe2Folds() throws Exception {
    List<String> differ = new ArrayList<>();
    int folding = 0;
    for (int c = 0; c <= 0xFFFF; c++) {
      if (Character.isSurrogate((char) c)) {
        continue;
      }
      java.util.Set<Integer> re2 = re2Folds(c);
      java.util.Set<Integer> ours = new java.util.TreeSet<>();
      for (int x : CaseOrbits.inRe2(c)) {
        ours.add(x);
      }
      folding += re2.isEmpty() ? 0 : 1;
      if (!ours.equals(re2)) {
        differ.add(String.format("U+%04X: %s, RE2/J %s", c, ours, re2));
      }
    }
    assertThat(differ).isEmpty();
    assertThat(folding).isGreaterThan(2000);
    assertThat(CaseOrbits.of('i')).contains(0x130, 0x131);
    assertThat(CaseOrbits.inRe2('i')).containsExactly('I');
    assertThat(CaseOrbits.inRe2(0x130)).isEmpty();
  }

  private static Method simpleFold;

  /**
   * The other characters of the plane RE2/J folds {@code c} to (as a case-insensitive pattern
   * matches them): its folding walks each orbit as a cycle; the walk is cut off after a few
   * steps, as no orbit is that long.
   */
  private static java.util.Set<Integer> re2Folds(int c) throws Exception {
    if (simpleFold == null) {
      simpleFold = Class.forName("com.google.re2j.Unicode")
          .getDeclaredMethod("simpleFold", int.class);
      simpleFold.setAccessible(true);
    }
    java.util.Set<Integer> out = new java.util.TreeSet<>();
    int f = (int) simpleFold.invoke(null, c);
    for (int step = 0; f != c && step < 8; step++) {
      if (f <= 0xFFFF) {
        out.add(f);
      }
      f = (int) simpleFold.invoke(null, f);
    }
    return out;
  }

  /** The orbits as the table lists them, worked out from the JDK's case mappings. */
  private static List<String> fromJdk() {
    int[] parent = new int[0x10000];
    for (int c = 0; c <= 0xFFFF; c++) {
      parent[c] = c;
    }
    boolean[] mapped = new boolean[0x10000];
    for (int c = 0; c <= 0xFFFF; c++) {
      if (!Character.isSurrogate((char) c)) {
        for (int o : new int[] {Character.toLowerCase(c), Character.toUpperCase(c),
            Character.toTitleCase(c)}) {
          if (o != c && o <= 0xFFFF) {
            union(parent, c, o);
            mapped[c] = true;
            mapped[o] = true;
          }
        }
      }
    }
    List<StringBuilder> byRoot = new ArrayList<>(java.util.Collections.nCopies(0x10000, null));
    List<StringBuilder> ordered = new ArrayList<>();
    for (int c = 0; c <= 0xFFFF; c++) { // ascending: each orbit lists its members in order
      if (mapped[c]) {
        int r = find(parent, c);
        if (byRoot.get(r) == null) {
          byRoot.set(r, new StringBuilder());
          ordered.add(byRoot.get(r));
        }
        StringBuilder b = byRoot.get(r);
        b.append(b.length() == 0 ? "" : " ").append(String.format("%04X", c));
      }
    }
    List<String> rows = new ArrayList<>();
    ordered.forEach(b -> rows.add(b.toString()));
    rows.sort(null);
    return rows;
  }

  private static int find(int[] parent, int c) {
    while (parent[c] != c) {
      parent[c] = parent[parent[c]];
      c = parent[c];
    }
    return c;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
