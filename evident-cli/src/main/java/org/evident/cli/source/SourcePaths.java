package org.evident.cli.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands what a user typed after {@code scan} into sources: files, directories (every regular
 * file below, sorted), glob patterns ({@code logs/*.gz}, for shells that did not expand them) and
 * {@code -} for standard input. Paths that cannot be used are reported, not fatal.
 */
public final class SourcePaths {
  private SourcePaths() {}

  /** The sources found and one sentence per argument that gave none. */
  public record Expansion(List<LogSource> sources, List<String> problems) {

    /**
     * Leaves out the database itself and its write-ahead log, which a folder or glob given to
     * {@code scan} may well contain.
     */
    public Expansion without(Path database) {
      Path db = database.toAbsolutePath().normalize();
      Path wal = Path.of(db + ".wal");
      Path leaves = Path.of(db + ".leaves"); // the store's leaf hashes
      List<LogSource> kept = new ArrayList<>();
      for (LogSource s : sources) {
        if (s instanceof FileSource f) {
          Path p = f.path().toAbsolutePath().normalize();
          if (p.equals(db) || p.equals(wal) || p.startsWith(leaves)) {
            continue;
          }
        }
        kept.add(s);
      }
      return new Expansion(kept, problems);
    }
  }

  public static Expansion expand(List<String> args, InputStream stdin) {
    List<LogSource> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String a : args) {
      if (a.equals("-")) {
        out.add(new StdinSource(stdin));
        continue;
      }
      if (a.indexOf('*') >= 0 || a.indexOf('?') >= 0 || a.indexOf('[') >= 0) {
        List<Path> found = glob(a);
        if (found.isEmpty()) {
          problems.add("no file matches " + a);
        }
        found.forEach(p -> out.add(new FileSource(p, p.toString())));
        continue;
      }
      Path p = Path.of(a);
      if (!Files.exists(p)) {
        problems.add("cannot read " + a + ": no such file or directory");
      } else if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
          if (files.isEmpty()) {
            problems.add("directory " + a + " holds no files");
          }
          files.forEach(f -> out.add(new FileSource(f, f.toString())));
        } catch (IOException | java.io.UncheckedIOException e) {
          problems.add("cannot list " + a + ": " + e.getMessage());
        }
      } else if (!Files.isReadable(p)) {
        problems.add("cannot read " + a + ": permission denied");
      } else {
        out.add(new FileSource(p, a));
      }
    }
    return new Expansion(out, problems);
  }

  private static List<Path> glob(String pattern) {
    int firstWild = pattern.length();
    for (char c : new char[] {'*', '?', '['}) {
      int i = pattern.indexOf(c);
      if (i >= 0) {
        firstWild = Math.min(firstWild, i);
      }
    }
    int slash = pattern.lastIndexOf('/', firstWild);
    Path base = slash < 0 ? Path.of(".") : Path.of(pattern.substring(0, Math.max(1, slash)));
    String rel = slash < 0 ? pattern : pattern.substring(slash + 1);
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rel);
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(base)) {
      return s.filter(Files::isRegularFile).filter(p -> m.matches(base.relativize(p))).sorted()
          .map(p -> slash < 0 ? base.relativize(p) : p).toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
