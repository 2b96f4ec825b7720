package org.evident.cli.scan;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.evident.cli.source.LogSource;

/**
 * Which files are one log at different stages of its rotation ({@code access.log},
 * {@code access.log.1}, {@code access.log.2.gz}, {@code access.log-20130201.gz}; IIS's
 * {@code u_ex130201.log}, {@code u_ex130202.log}: a family), and
 * the order a scan reads them in: each family's files oldest first, so that the behavioural
 * windows go on from a rotated file's last lines into its successor's first ones.
 */
final class LogOrder {
  /**
   * logrotate's suffixes: a number ({@code .1}) or a date ({@code -20130201}), then the
   * compressor's (.gz, .xz, .zst, .bz2).
   */
  private static final Pattern ROTATION = Pattern.compile(
      "([.]\\d{1,3}|[-_.]\\d{8}(\\d{2})?|[-_.]\\d{4}-\\d{2}-\\d{2})?([.](?:gz|xz|zst|bz2))?$");
  /** IIS names each day's (or hour's) log by its date: u_ex130201.log, nc13020112.log. */
  private static final Pattern IIS =
      Pattern.compile("^((?:u_)?(?:ex|in|nc))\\d{6}(?:\\d{2})?([.]log)$");

  private LogOrder() {}

  /** The family of the log named {@code name}: its folder and rotation-free name (null: stdin). */
  static String family(String name) {
    if (name.equals("-")) {
      return null;
    }
    Path p = Path.of(name);
    String file = p.getFileName() == null ? name : p.getFileName().toString();
    String stem = IIS.matcher(ROTATION.matcher(file).replaceFirst("")).replaceFirst("$1$2");
    if (stem.isEmpty()) {
      stem = file;
    }
    Path parent = p.getParent();
    return parent == null ? stem : parent.resolve(stem).toString();
  }

  /** The folder of the log named {@code name}, as its family names it ("" for none). */
  static String folder(String name) {
    Path parent = Path.of(name).getParent();
    return parent == null ? "" : parent.toString();
  }

  /**
   * The sources with each family's files together, where its first one was, oldest written
   * first (files of unknown age last, in the order given); sources of no family stay in place.
   */
  static List<LogSource> inLogOrder(List<LogSource> sources) {
    Map<Object, List<LogSource>> families = new LinkedHashMap<>();
    for (LogSource s : sources) {
      String f = s.remembered() ? family(s.name()) : null;
      families.computeIfAbsent(f == null ? new Object() : f, k -> new ArrayList<>()).add(s);
    }
    Comparator<LogSource> oldestFirst = Comparator.comparing(LogSource::modified,
        Comparator.nullsLast(Comparator.<Instant>naturalOrder()));
    List<LogSource> out = new ArrayList<>(sources.size());
    for (List<LogSource> members : families.values()) {
      members.sort(oldestFirst); // stable: files written at the same moment keep their order
      out.addAll(members);
    }
    return out;
  }
}
