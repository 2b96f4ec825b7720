package org.evident.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.evident.report.CsvCell;
import org.evident.store.AttackEvent;
import org.evident.store.EventFilter;
import org.evident.store.EvidentStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evident events}: every stored attack, one per line, for SIEMs and scripts. */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = {"Exports stored attack events in time order, one per line: JSON Lines"
        + " (default) or CSV. Fields are documented in docs/events.md."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:exported (no event lines when no stored attack matches)",
        "1:no database, or the output cannot be written",
        "2:bad usage (an unknown format, a bad or backwards time, a country that is not two"
            + " letters)"})
final class EventsCommand implements Callable<Integer> {
  static final String[] FIELDS = {"time", "site", "source_ip", "ip_scope", "country", "asn",
      "as_org", "class", "rule_ids", "severity", "score", "tool", "method", "target", "status",
      "user_agent", "referer", "matched", "source_file", "line", "byte_offset", "line_sha256",
      "segment", "leaf_index", "actor", "matched_in"};

  @Mixin
  StoreOption store;

  @Mixin
  Selection selection;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "jsonl (default) or csv.")
  String format = "jsonl";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() {
    boolean csv;
    if (format.equals("csv")) {
      csv = true;
    } else if (format.equals("jsonl")) {
      csv = false;
    } else {
      throw new UsageException("unknown format '" + format + "'; use jsonl or csv");
    }
    EventFilter f = selection.filter();
    try (EvidentStore db = EvidentStore.openReadOnly(store.path());
        Writer w = Output.open(output, System.out)) {
      long[] n = {0};
      if (csv) {
        w.write(String.join(",", FIELDS) + "\r\n");
        db.events(f, e -> {
          n[0]++;
          write(w, () -> csvLine(w, e));
        });
      } else {
        JsonFactory json = new JsonFactory();
        db.events(f, e -> {
          n[0]++;
          write(w, () -> jsonLine(json, w, e));
        });
      }
      w.flush();
      selection.explainNothing(db, n[0]);
    } catch (IOException e) {
      throw new UserException("cannot write events: " + e.getMessage());
    }
    return 0;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void write(Writer w, IoAction a) {
    try {
      a.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Object[] values(AttackEvent e) {
    return new Object[] {Instant.ofEpochMilli(e.epochMillis()).toString(), e.site(),
        e.sourceIp(), e.ipScope(), e.country(), e.asn() == 0 ? null : e.asn(), e.asOrganisation(),
        e.attackClass(), e.ruleIds(), e.severity(), e.score(), e.tool(), e.method(), e.target(),
        e.status() < 0 ? null : e.status(), e.userAgent(), e.referer(), e.matched(),
        e.sourceFile(), e.lineNumber(), e.byteOffset(), e.lineSha256(),
        e.segment() > 0 ? e.segment() : null, e.segment() > 0 ? e.leafIndex() : null,
        e.actor(), e.matchedIn()};
  }

  private static void jsonLine(JsonFactory json, Writer w, AttackEvent e) throws IOException {
    JsonGenerator g = json.createGenerator(w);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.writeStartObject();
    Object[] v = values(e);
    for (int i = 0; i < FIELDS.length; i++) {
      if (FIELDS[i].equals("rule_ids")) {
        g.writeArrayFieldStart("rule_ids");
        if (e.ruleIds() != null) {
          for (String id : e.ruleIds().split(",")) {
            g.writeString(id);
          }
        }
        g.writeEndArray();
      } else if (v[i] instanceof Number n) {
        g.writeNumberField(FIELDS[i], n.longValue());
      } else {
        g.writeStringField(FIELDS[i], (String) v[i]);
      }
    }
    g.writeEndObject();
    g.close();
    w.write('\n');
  }

  private static void csvLine(Writer w, AttackEvent e) throws IOException {
    Object[] v = values(e);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(v[i] == null ? "" : v[i] instanceof Number ? v[i].toString()
          : CsvCell.of((String) v[i]));
    }
    w.write(b.append("\r\n").toString());
  }
}
