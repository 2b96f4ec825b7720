package org.evident.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.evident.detect.RuleFile;
import org.evident.detect.RuleSet;

/**
 * Reads rule files for {@code --rules}: {@code evident} is the pack built into Evident (the files
 * under rules/ listed in rules/default.list), anything else a YAML file or a folder of them.
 * Later entries can disable rules of earlier ones and add allow-list entries.
 */
final class RuleSources {
  private RuleSources() {}

  static RuleSet load(List<String> specs) {
    List<RuleFile> files = new ArrayList<>();
    for (String spec : specs) {
      if (spec.equals("evident")) {
        files.addAll(builtIn());
        continue;
      }
      Path p = Path.of(spec);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          for (Path f : s.filter(x -> x.toString().endsWith(".yaml")
              || x.toString().endsWith(".yml")).sorted().toList()) {
            files.add(read(f));
          }
        } catch (IOException e) {
          throw new UserException("cannot read rules folder " + spec + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(p)) {
        files.add(read(p));
      } else {
        throw new UserException("no rules at " + spec
            + " (use 'evident', a YAML file or a folder of them)");
      }
    }
    try {
      return RuleSet.parse(files);
    } catch (IllegalArgumentException e) {
      throw new UserException("bad rules: " + e.getMessage());
    }
  }

  private static RuleFile read(Path f) {
    try {
      return new RuleFile(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UserException("cannot read rule file " + f + ": " + e.getMessage());
    }
  }

  /** The built-in pack, read from the jar. */
  static List<RuleFile> builtIn() {
    List<RuleFile> out = new ArrayList<>();
    String list = resource("rules/default.list");
    for (String line : list.split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      out.add(new RuleFile("rules/" + name, resource("rules/" + name)));
    }
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = RuleSources.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("built-in rule file missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
