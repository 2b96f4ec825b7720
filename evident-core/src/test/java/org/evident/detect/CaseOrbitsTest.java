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
 * which made it, and RE2/J's own folding, which the screens must never be narrower than.
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
   * Every character RE2/J folds {@code c} to is in {@code c}'s orbit. Its folding walks each
   * orbit as a cycle; the walk is cut off after a few steps, as no orbit is that long.
   */
  @Test
  void everyOrbitHoldsWhatRe2Folds() throws Exception {
    Method simpleFold = Class.forName("com.google.re2j.Unicode")
        .getDeclaredMethod("simpleFold", int.class);
    simpleFold.setAccessible(true);
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (int c = 0; c <= 0xFFFF; c++) {
      if (Character.isSurrogate((char) c)) {
        continue;
      }
      int f = (int) simpleFold.invoke(null, c);
      for (int step = 0; f != c && step < 8; step++) {
        int folded = f;
        if (folded <= 0xFFFF) {
          checked++;
          if (java.util.Arrays.stream(CaseOrbits.of(c)).noneMatch(x -> x == folded)) {
            missing.add(String.format("U+%04X -> U+%04X", c, folded));
          }
        }
        f = (int) simpleFold.invoke(null, f);
      }
    }
    assertThat(missing).isEmpty();
    assertThat(checked).isGreaterThan(2000);
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
