package org.evident.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.evident.cli.scan.Progress;
import org.evident.detect.AllowProposals;
import org.evident.detect.Detector;
import org.evident.detect.Rule;
import org.evident.report.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code evident tune}: proposes the {@code allow:} entries that would silence the rules a log's
 * ordinary visitors trip, as a rule file to review and then pass to {@code --rules}.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = {"Proposes allow-list entries for the false positives in logs, with the"
        + " evidence for each: a rule (a CRS family of rules, or all of CRS in a free-text"
        + " field) in a query argument, a cookie or the Referer, only where many unrelated"
        + " visitors tripped"
        + " it there and nothing else. Stores nothing.",
        "",
        "Every line is judged as explain judges it. A flagged request is evidence for entries"
        + " only when they alone would clear it: every rule that scored on it matched in query"
        + " arguments, cookies or the Referer, and taking out those it trips stops it. An entry"
        + " is proposed"
        + " only on the evidence of at least --min-sources distinct client addresses that were"
        + " flagged for nothing else in the logs, and for at most 10 requests, with as many"
        + " different texts matched (what the rules found: a random token beside one payload"
        + " does not count) or as many of those addresses browsing the site too"
        + " (three different requests nothing flagged; one text from many addresses that do"
        + " nothing else is a campaign's payload). A search box's free text trips CRS's command"
        + " and function-name rules for many unrelated visitors;"
        + " an attacker probes more than one place, or sends many payloads, often tripping"
        + " several rules at once, so their requests and addresses count for nothing; a"
        + " request whose agent names an attack tool is never evidence. Where two or more"
        + " rules of one CRS family (attack-rce, attack-sqli, ...) are cleared so in one"
        + " argument, one entry by tag excuses the family there, as CRS's by-tag exclusions"
        + " do; Evident's own rules are only excused one by one. Where the clean addresses that"
        + " tripped CRS in one argument tripped three or more families and --min-sources of"
        + " them browse the site too (a search box searched for code, a page title in"
        + " utm_content), the argument is free"
        + " text: one entry by the tag every CRS rule carries (OWASP_CRS) excuses CRS there, as"
        + " CRS's own exclusions do for a post's body; proposed only when rules of another pack"
        + " (Evident's) judge query arguments for SQL injection, XSS, command injection and"
        + " traversal, which still count the attacks in it. An entry covers the argument"
        + " on every path when its clean sources tripped it on --min-sources different paths"
        + " with different text (a campaign parameter such as utm_content); an entry for a"
        + " cookie, which a browser sends with every page, always covers every path, and its"
        + " visitors' requests count as one while the text matched stays the same (a consent"
        + " manager's cookie: cookie: OptanonConsent). So does an entry for the Referer (header:"
        + " Referer), where a site's own search, sent as the Referer of the click on each"
        + " result, trips a rule that reads the header whole (CRS 932239 at paranoia level 2 on"
        + " ...=yes&...). A rule that matches"
        + " in a page's own name (CRS 930130 on config.py in a code browser) is excused in"
        + " that page's path alone (target: path) when the name is plain letters, digits and"
        + " . _ ~ - /, the server served it, and --min-sources clean addresses that browse"
        + " requested it; where it matches the name's file type alone (CRS 941130 on .xhtml),"
        + " in every plain page of that type, once --min-sources clean addresses requested as"
        + " many different such pages."
        + " Every entry holds for the responses its clean addresses had, each class from two"
        + " of them (status: [2xx] where the visitors were answered 200), so an injection"
        + " answered 500, or blocked with 403, still counts. Matches in the User-Agent are"
        + " never proposed. A log that names each request's site (a virtual-host field), or"
        + " --site, gets entries for that site: an address flagged on two sites is not clean."
        + " A month of logs is better evidence than a day.",
        "",
        "The output is a rule file (YAML) with the evidence for each entry in a comment: read"
            + " it, delete what you do not want, and scan with --rules evident,crs,FILE."
            + " Entries short of that evidence (fewer clean addresses, different texts or"
            + " paths than --min-sources asks) follow, commented out, each with the"
            + " --min-sources that would propose it: uncomment one only if you know the text"
            + " is your visitors'; a campaign of that many addresses could send the same.",
        "",
        "Exit codes: 0 done (whether or not anything was proposed), 1 a user error (bad path,"
            + " format or flag), 2 a bad command line."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the rule file was written (with no entry when nothing has the evidence)",
        "1:nothing could be read, or the rules could not be loaded",
        "2:bad usage"})
final class TuneCommand implements Callable<Integer> {
  @Mixin
  JudgedLines log = new JudgedLines();

  @Option(names = "--min-sources", paramLabel = "N",
      description = "Distinct addresses, flagged for nothing else, an entry needs"
          + " (default: ${DEFAULT-VALUE}; at least 2).")
  int minSources = 5;

  @Option(names = {"-q", "--quiet"},
      description = "No progress display (there is none when standard error is not a terminal).")
  boolean quiet;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the rule file here (default: standard output).")
  Path output;

  @Override
  public Integer call() throws IOException {
    if (minSources < 2) {
      throw new UsageException("--min-sources must be at least 2");
    }
    Detector detector = log.detector();
    AllowProposals proposals = new AllowProposals(minSources, detector);
    long[] skipped = new long[1];
    List<AllowProposals.Proposal> found;
    List<AllowProposals.Weaker> weaker;
    // opened first, as a shell's redirection is: a folder that is not there is said at once
    try (Writer w = Output.open(output, System.out)) {
      log.forEach(log.sources(System.err), (source, n, problem, r, v) -> {
        if (r == null) {
          skipped[0]++;
        } else {
          // entries name a site only where the log or --site does, not one made of a file name
          proposals.observe(r, v, log.siteOf(r, log.site));
        }
      }, new Progress(System.err, !quiet && System.console() != null));
      AllowProposals.Selection chosen = proposals.selection();
      found = chosen.proposals();
      weaker = chosen.weaker();
      w.write(ruleFile(found, weaker, detector));
    }
    // what the bounds left out is said, never dropped in silence
    System.err.printf(Locale.ROOT, "evident: %,d attack requests judged; %d entries proposed"
        + "%s; %,d lines skipped%s%s%n", proposals.attacks(), found.size(), weaker.isEmpty() ? ""
            : String.format(Locale.ROOT, ", %d with weaker evidence shown commented out",
                weaker.size()), skipped[0],
        proposals.unfollowed() > 0
            ? String.format(Locale.ROOT, "; %,d attack requests from addresses past the first"
                + " %,d were not counted", proposals.unfollowed(), AllowProposals.MAX_SOURCES)
            : "",
        proposals.droppedCandidates() > 0
            ? String.format(Locale.ROOT, "; %,d pieces of evidence for entries past the first"
                + " %,d possible ones were not kept", proposals.droppedCandidates(),
                AllowProposals.MAX_CANDIDATES)
            : "");
    return 0;
  }

  /**
   * The proposals as a rule file, the weaker entries after them commented out; every
   * attacker-controlled string is quoted or escaped.
   */
  private String ruleFile(List<AllowProposals.Proposal> found,
      List<AllowProposals.Weaker> weaker, Detector detector) {
    StringBuilder b = new StringBuilder();
    b.append("# Allow-list entries proposed by `evident tune` from ")
        .append(TerminalText.safe(String.join(" ", log.paths))).append(", with --rules ")
        .append(TerminalText.safe(String.join(",", log.rules))).append(" at paranoia level ")
        .append(detector.paranoia()).append(".\n")
        .append("# Each entry excuses a rule (or a CRS family, or all of CRS in a free-text"
            + " field, by tag) in one\n# query argument, cookie or the Referer, on one path or on"
            + " all, or in a page's"
            + " own name or every plain page of\n# its file type (target: path). Review them: an"
            + " entry you keep stops those rules counting\n# attacks there.\n")
        .append("pack: tuned\n")
        .append("version: \"").append(LocalDate.now(ZoneOffset.UTC)).append("\"\n");
    if (found.isEmpty()) {
      b.append("# Nothing to propose: no rule was tripped in query arguments, cookies or the"
          + " Referer by ")
          .append(minSources).append(" or more otherwise clean addresses.\nallow: []\n");
    } else {
      b.append("allow:\n");
      for (AllowProposals.Proposal p : found) {
        entry(b, p, detector, "", "");
      }
    }
    if (!weaker.isEmpty()) {
      b.append(String.format(Locale.ROOT, "#\n# Weaker evidence, not proposed: fewer clean"
          + " addresses, different texts or paths than\n# --min-sources %d asks for; each"
          + " comment says which, and with which --min-sources it would\n# be proposed. A"
          + " campaign of that many addresses could give the same: uncomment an entry\n# only"
          + " if you know the text is your visitors'%s.\n", minSources,
          found.isEmpty() ? " (and make the list above `allow:`)" : ""));
      for (AllowProposals.Weaker w : weaker) {
        entry(b, w.proposal(), detector, "#", String.format(Locale.ROOT,
            "; only %d %s, proposed with --min-sources %d", w.minSources(), w.shortOf(),
            w.minSources()));
      }
    }
    return b.toString();
  }

  /** One entry with its evidence in a comment above it, every line after {@code prefix}. */
  private static void entry(StringBuilder b, AllowProposals.Proposal p, Detector detector,
      String prefix, String note) {
    b.append(prefix).append("  # ");
    if (AllowProposals.FREE_TEXT_TAG.equals(p.tag())) {
      // what this entry gives up is said first: every CRS rule in the field
      java.util.Set<String> families = AllowProposals.families(p.rules(), detector);
      b.append("free text: every CRS rule (OWASP_CRS); the other packs' rules judge it still,"
          + " so keep them in --rules;\n").append(prefix).append("  # ").append(families.size())
          .append(" CRS families (")
          .append(String.join(", ", families.stream().map(TerminalText::safe).toList()))
          .append("), ")
          .append(p.rules().size()).append(" rules (")
          .append(String.join(", ", p.rules().stream().map(TerminalText::safe).toList()))
          .append(')');
    } else if (p.tag() != null) {
      b.append(p.tag()).append(", ").append(p.rules().size()).append(" rules (")
          .append(String.join(", ", p.rules().stream().map(TerminalText::safe).toList()))
          .append(')');
    } else {
      Rule r = detector.rule(p.rule());
      b.append(TerminalText.safe(p.rule()));
      if (r != null) {
        b.append(" (").append(r.attackClass()).append(", ")
            .append(TerminalText.safe(r.message())).append(')');
      }
    }
    b.append(String.format(Locale.ROOT, ": %,d requests, %,d clean sources%s%s; matched",
        p.requests(), p.sources(), p.path() == null ? ", every path"
            : p.fileType() != null ? ", in the names of different ." + p.fileType()
                + " pages, for every plain one"
            : p.arg() == null ? " who browse, in the page's name" : "", note));
    String sep = " ";
    for (String e : p.examples()) {
      b.append(sep).append(quoted(e));
      sep = ", ";
    }
    b.append('\n').append(prefix).append(p.tag() != null ? "  - tag: " + quoted(p.tag())
        : "  - rule: " + quoted(p.rule())).append('\n')
        .append(p.site() == null ? "" : prefix + "    site: " + quoted(p.site()) + "\n")
        .append(p.path() == null ? "" : prefix + "    path: " + quoted(p.path()) + "\n")
        // the responses the evidence had: an injection answered 500, or a probe 404, still counts
        .append(p.status().isEmpty() ? ""
            : prefix + "    status: [" + String.join(", ", p.status()) + "]\n")
        .append(prefix)
        .append(p.arg() == null ? "    target: 'path'"
            : (p.inHeader() ? "    header: " : p.inCookie() ? "    cookie: " : "    arg: ")
                + quoted(p.arg()))
        .append('\n');
  }

  /**
   * A YAML single-quoted scalar on one line. Line breaks (YAML's: also NEL, LS, PS) and other
   * controls are shown as escapes first, so nothing read from the log can end the comment or the
   * value it is in.
   */
  static String quoted(String s) {
    return "'" + TerminalText.safe(s).replace("'", "''") + "'";
  }
}
