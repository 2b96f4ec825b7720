package org.evident.cli.scan;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.evident.behaviour.BehaviourConfig;
import org.evident.behaviour.BehaviourDetector;
import org.evident.behaviour.Finding;
import org.evident.cli.source.LogSource;
import org.evident.geo.Location;
import org.evident.store.AttackEvent;
import org.evident.detect.Detector;
import org.evident.geo.Locator;
import org.evident.log.BadLineException;
import org.evident.log.LineParser;
import org.evident.log.LogFormat;
import org.evident.log.LogFormats;
import org.evident.net.TrustedProxies;
import org.evident.evidence.SiteKey;
import org.evident.evidence.TreeBuilder;
import org.evident.evidence.TreeHead;
import org.evident.store.EvidentStore;
import org.evident.store.LeafFile;
import org.evident.evidence.SignedHead;
import org.evident.store.SourceCommit;
import org.evident.store.SourceCommit.SkipKey;
import org.evident.store.SourceCommit.TrafficKey;
import org.evident.store.SourceRecord;

/**
 * Scans sources into the store. A reader thread cuts each source into batches of lines; worker
 * threads parse and judge batches in parallel; this thread takes results back in order and
 * commits them in chunks, each with the offset reached, so memory stays flat however long the log
 * and an interrupted scan resumes where its last commit ended.
 */
public final class ScanJob {
  /** Bytes of a file the fingerprint covers; a file is recognised again by them. */
  static final int FINGERPRINT_BYTES = 4096;
  private static final int BATCH_LINES = 4096;
  private static final int BATCH_BYTES = 1 << 20;
  private static final int COMMIT_ATTACKS = 10_000;
  /** A file written this recently may be in the middle of writing its last line. */
  static final java.time.Duration RECENT = java.time.Duration.ofSeconds(10);
  /** Attack rows handed to the store ahead of their commit, at a time. */
  private static final int STAGE_ATTACKS = 1_000;
  private static final long COMMIT_LINES = 1_000_000;
  /** A chunk this near the end of a file is committed with its end (see {@link #nearEnd}). */
  private static final long LAST_CHUNK_BYTES = 4L << 20;
  /** Store writes handed over and not yet done, at most (see {@link StoreWrites}). */
  private static final int WRITES_IN_FLIGHT = 3;

  /**
   * @param format a format name to force, or null to detect per source
   * @param site the site for logs without a virtual-host field, or null to derive from file names
   * @param sites the sites a host field may name; another counts for the log's own site
   * @param proxies peers trusted to report the client in X-Forwarded-For
   * @param maxLineBytes longer lines are skipped and counted
   * @param threads worker threads
   * @param signer the site key that signs each new tree head, or null to leave heads unsigned
   *     (they can be signed later, when a report or disclosure is signed)
   * @param behaviour thresholds of the behavioural detectors, or null to run none
   * @param zone where times written without an offset are read (HAProxy's), or null for UTC
   */
  public record Options(String format, String site, ServedSites sites, TrustedProxies proxies,
      int maxLineBytes, int threads, SiteKey signer, BehaviourConfig behaviour,
      java.time.ZoneId zone) {}

  private final EvidentStore store;
  private final Detector detector;
  private final Locator locator;
  private final Options options;
  private final Progress progress;
  private final LogFormat forced;
  /** The newest tree head: the next segment chains onto it. */
  private SignedHead lastHead;
  /** What the last commit stored, said if the scan is interrupted; written by the committer. */
  private volatile String committedSoFar;
  /** Set by an interruption: no commit begins after it (see interrupted()). */
  private volatile boolean stopping;
  /** Whether a commit is being written. */
  private volatile boolean committing;
  /**
   * The last write handed to the committing thread, perhaps still running: the commit that ends
   * a source overlaps the start of the next one. Null once waited for.
   */
  private Future<?> lastWrite;
  /** The path and 4 KiB fingerprint of the source that write ends (null for standard input). */
  private String lastWritePath;
  private String lastWriteFingerprint;
  /**
   * Per log family (see {@link LogOrder}), the behavioural windows where its last file read in
   * this scan ended: a file new to the store (the log logrotate just began) goes on from them.
   */
  private final Map<String, String> familyWindows = new HashMap<>();
  /** Per folder, the ids and paths of its sources that have windows (read when first needed). */
  private final Map<String, Map<Long, String>> storedWindows = new HashMap<>();

  public ScanJob(EvidentStore store, Detector detector, Locator locator, Options options,
      Progress progress) {
    this.store = store;
    this.detector = detector;
    this.locator = locator;
    this.options = options;
    this.progress = progress;
    LogFormat f = options.format() == null ? null : LogFormats.byName(options.format());
    this.forced = f == null || options.zone() == null ? f : f.inZone(options.zone());
  }

  public ScanSummary run(List<LogSource> sources) {
    ScanSummary summary = new ScanSummary();
    lastHead = store.lastHead();
    long scanId = store.beginScan(detector.ruleSet().version(), detector.ruleSet().sha256(),
        detector.paranoia(), detector.threshold(), locator.provenance());
    List<LogSource> ordered = LogOrder.inLogOrder(sources);
    long total = 0;
    for (LogSource s : ordered) {
      total += Math.max(0, s.size());
    }
    ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, options.threads()), r -> {
      Thread t = new Thread(r, "evident-worker");
      t.setDaemon(true);
      return t;
    });
    StoreWrites committer = new StoreWrites(WRITES_IN_FLIGHT);
    long[] doneBytes = {0};
    try {
      for (LogSource s : ordered) {
        try {
          scanOne(s, scanId, workers, committer, summary, doneBytes[0], total);
        } catch (IOException e) {
          summary.problems.add("cannot read " + s.name() + ": " + e.getMessage());
        }
        doneBytes[0] += Math.max(0, s.size());
      }
      awaitLastWrite();
    } catch (IOException e) {
      summary.problems.add("interrupted before the last commit was written");
    } finally {
      workers.shutdownNow();
      committer.close(); // idle by now, unless the scan was interrupted mid-write
      progress.finish();
    }
    store.finishScan(scanId, summary.lines, summary.requests, summary.attacks);
    if (summary.attacks > 0) {
      store.tagAttacks(); // new attacks from known actors' addresses get their labels
    }
    return summary;
  }

  private void scanOne(LogSource s, long scanId, ExecutorService workers,
      StoreWrites committer, ScanSummary summary, long bytesBefore, long totalBytes)
      throws IOException {
    long sourceId = s.remembered() ? -1 : -2;
    String family = s.remembered() ? LogOrder.family(s.name()) : null;
    SourceRecord resumed = null; // what the store remembers of this file, when it has grown
    long offset = 0;
    long lineNo = 0;
    long size = s.size();
    String fp = null;
    // a file written a moment ago may end half-way through a line: a last line without its
    // ending is left for the next scan (which reads it whole, or as it is if the file is
    // unchanged by then); older files are finished, and their last line is read as it is
    java.time.Instant modified = s.modified();
    boolean holdPartial = s.appendable() && modified != null
        && modified.isAfter(java.time.Instant.now().minus(RECENT));
    if (s.remembered()) {
      fp = s.fingerprint(FINGERPRINT_BYTES);
      if (s.name().equals(lastWritePath) || fp.equals(lastWriteFingerprint)) {
        awaitLastWrite(); // the same file, or a copy of it: the lookup must see its commit
      }
      for (SourceRecord c : store.candidates(s.name(), s.fingerprints(FINGERPRINT_BYTES))) {
        // a compressed file is a log in its final form, perhaps one scanned while it was still
        // written to, under another name (access.log, then access.log.2.gz): its size on disk
        // says nothing of its text's, which goes on from the offset the store has for it
        boolean finalForm = !s.appendable();
        if ((size >= c.rawSize() || finalForm)
            && s.fingerprints(c.fingerprintLength()).contains(c.fingerprint())) {
          if (size == c.rawSize() && !(s.appendable() && c.offset() < size)) {
            summary.unchangedSources++;
            summary.notes.add(s.name() + ": already scanned, nothing new");
            carryWindows(family, c.behaviourState());
            return;
          }
          holdPartial &= size > c.rawSize();
          resumed = c;
          sourceId = c.id();
          offset = c.offset();
          lineNo = c.lines();
          break;
        }
      }
    }
    summary.sources++;
    String defaultSite = options.site() != null ? options.site() : SiteNames.fromFileName(s.name());
    try (InputStream in = s.open(offset)) {
      LineSplitter splitter = new LineSplitter(in, offset, options.maxLineBytes(), holdPartial);
      LineBatch first = new LineBatch();
      if (!splitter.fill(first, BATCH_LINES, BATCH_BYTES)) {
        SourceCommit.ReadBreak readError = readError(s, splitter, lineNo, summary,
            new TrafficKey(defaultSite, SkipKey.UNDATED));
        if (readError == null) {
          summary.notes.add(s.name() + ": no lines" + (offset > 0 ? " since the last scan" : ""));
        }
        heldBack(s, splitter, summary);
        ReadOn same = resumed == null ? ReadOn.UNKNOWN
            : new ReadOn(resumed.format(), resumed.parserState(), resumed.behaviourState());
        carryWindows(family, same.behaviour());
        endWith(committer.submit(commitOf(s, scanId, new long[] {sourceId}, offset,
            lineNo, new BatchResult(), size, null, same, readError)), s, fp);
        return;
      }
      // a grown log's windows go on from where its last scan left them; a new one's from where
      // the file it follows in its rotation ended
      String windows = resumed != null && resumed.behaviourState() != null
          ? resumed.behaviourState() : predecessorWindows(s, family);
      BehaviourDetector behaviour = options.behaviour() == null ? null
          : BehaviourDetector.restore(options.behaviour(), windows);
      String[] formatName = new String[1];
      LineParser tracking = parserFor(s, resumed, first, summary, formatName);
      String parserState = tracking.state(); // as at the offset, until a batch moves it on
      Segment seg = new Segment(formatName[0], lineNo + 1);
      BatchWorker worker = new BatchWorker(detector, locator, options.proxies(), defaultSite,
          options.sites(), s.name());
      BlockingQueue<Future<BatchResult>> queue =
          new ArrayBlockingQueue<>(Math.max(2, options.threads() * 2));
      // batches a worker is done with, for the reader to fill again: a batch is a megabyte of
      // lines, and new ones for every 4,096 lines were a third of what a scan allocated (and
      // were copied by every young collection that found them in flight)
      BlockingQueue<LineBatch> done =
          new ArrayBlockingQueue<>(Math.max(2, options.threads() * 2) + options.threads() + 1);
      CompletableFuture<BatchResult> endMarker = CompletableFuture.completedFuture(null);
      long startLine = lineNo;
      Thread reader = new Thread(() -> {
        try {
          LineBatch b = first;
          long ln = startLine;
          while (true) {
            b.firstLineNumber = ln + 1;
            ln += b.count;
            LineParser atStart = tracking.copy();
            feedDirectives(tracking, b);
            LineBatch batch = b;
            queue.put(workers.submit(() -> {
              try {
                return worker.process(batch, atStart);
              } finally {
                done.offer(batch); // nothing a result holds points into it
              }
            }));
            b = done.poll();
            if (b == null) {
              b = new LineBatch();
            }
            if (!splitter.fill(b, BATCH_LINES, BATCH_BYTES)) {
              break;
            }
          }
          queue.put(endMarker);
        } catch (IOException e) {
          CompletableFuture<BatchResult> failed = new CompletableFuture<>();
          failed.completeExceptionally(e);
          try {
            queue.put(failed);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "evident-reader");
      reader.setDaemon(true);
      reader.start();

      BatchResult pending = new BatchResult();
      long pendingLines = 0;
      long position = offset;
      long lines = lineNo;
      // The store is written on the committing thread, one task after another, while this one
      // takes in the next batches: attack rows are staged as they come, and a commit ends each
      // chunk. The source's id is known once its first rows are staged or committed.
      long[] id = {sourceId};
      long chunkAttacks = 0;
      // where a break would be placed: at the last request read before it
      TrafficKey place = new TrafficKey(defaultSite, SkipKey.UNDATED);
      Future<?> writing = lastWrite;
      lastWrite = null;
      try {
        while (true) {
          Future<BatchResult> f = queue.take();
          if (f == endMarker) {
            break;
          }
          BatchResult r = waitFor(f, s, lines, bytesBefore, totalBytes, summary);
          if (r.lastPlace() != null) {
            if (place.hourMillis() == SkipKey.UNDATED) {
              // the first request read: batches of garbage before it, not committed yet (the
              // top of a log, or of what a log grew by), are counted where it is
              pending.placeUndated(r.firstPlace());
            }
            place = r.lastPlace();
          } else if (place.hourMillis() != SkipKey.UNDATED) {
            r.placeUndated(place); // a batch of garbage within the log: where the log was
          }
          behaviour(r, behaviour, s.name(), summary);
          merge(pending, r);
          parserState = r.parserState;
          chunkAttacks += r.attacks.size();
          seg.add(r);
          pendingLines += r.lines;
          lines += r.lines;
          position = r.endOffset;
          add(summary, r);
          progress.update(s.name(), summary.lines, bytesBefore + s.metrics().rawBytes(),
              totalBytes);
          if ((chunkAttacks >= COMMIT_ATTACKS || pendingLines >= COMMIT_LINES)
              && !nearEnd(s, size, position)) {
            // the windows as at this commit: a scan cut short after it resumes with them
            writing = committer.submit(commitOf(s, scanId, id, position, lines, pending,
                size, seg, new ReadOn(formatName[0], parserState,
                    behaviour == null ? null : behaviour.snapshot()), null));
            seg = new Segment(formatName[0], lines + 1);
            pending = new BatchResult();
            pendingLines = 0;
            chunkAttacks = 0;
          } else if (pending.attacks.size() >= STAGE_ATTACKS) {
            writing = committer.submit(stage(scanId, id, pending, seg));
          }
        }
        // the reader is done: its last write (a failure, a held-back line) is seen here
        SourceCommit.ReadBreak readError = readError(s, splitter, lines, summary, place);
        String endWindows = behaviour == null ? null : behaviour.snapshot();
        carryWindows(family, endWindows);
        // not waited for: the next source starts while this commit is written
        endWith(committer.submit(commitOf(s, scanId, id, position, lines, pending, size,
            seg, new ReadOn(formatName[0], parserState, endWindows), readError)), s, fp);
        writing = null;
        heldBack(s, splitter, summary);
      } finally {
        if (writing != null) { // left early: the store is not used again until it is done
          Throwable failed = null;
          try {
            writing.get();
          } catch (ExecutionException e) {
            failed = e.getCause();
          }
          store.dropStaged(); // the chunk is not committed: a later scan reads it again
          if (failed instanceof RuntimeException re) {
            throw re; // a write failed (perhaps the commit of the source before): the scan ends
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /**
   * The windows a file new to the store starts from: where its family's last file read in this
   * scan ended, or else where the family's most recently scanned file stood (the scan was not
   * given the file that rotation renamed or took away); null when the family has none.
   */
  private String predecessorWindows(LogSource s, String family) {
    if (family == null || options.behaviour() == null) {
      return null;
    }
    String w = familyWindows.get(family);
    if (w != null) {
      return w;
    }
    for (Map.Entry<Long, String> e : storedWindows.computeIfAbsent(LogOrder.folder(s.name()),
        store::sourcesWithWindowsIn).entrySet()) {
      if (family.equals(LogOrder.family(e.getValue()))) {
        return store.behaviourState(e.getKey());
      }
    }
    return null;
  }

  /** Keeps {@code windows} (a snapshot, or null: nothing known) as where {@code family} is. */
  private void carryWindows(String family, String windows) {
    if (family != null && windows != null) {
      familyWindows.put(family, windows);
    }
  }

  /**
   * Says that source {@code s} broke off after line {@code lines}, if it did, and returns the
   * reason to store with its last commit, placed at {@code place} (a report of that month and
   * site names the log; its rest is unknown).
   */
  private static SourceCommit.ReadBreak readError(LogSource s, LineSplitter splitter, long lines,
      ScanSummary summary, TrafficKey place) {
    IOException e = splitter.failure();
    if (e == null) {
      return null;
    }
    // gzip's, xz's and bzip2's words for a file cut short (a rotation copied half-way)
    boolean cut = e instanceof java.io.EOFException || e.getMessage() != null
        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("unexpected end");
    String reason = cut ? "its compressed data ends early"
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    summary.problems.add(lines == 0
        ? String.format(java.util.Locale.ROOT, "%s: could not be read (%s)", s.name(), reason)
        : String.format(java.util.Locale.ROOT, "%s: could not be read after line %,d (%s); the"
            + " lines before it were scanned", s.name(), lines, reason));
    return new SourceCommit.ReadBreak(reason, place.site(), place.hourMillis());
  }

  /** Says that a half-written last line was left for the next scan. */
  private static void heldBack(LogSource s, LineSplitter splitter, ScanSummary summary) {
    if (splitter.heldBack() > 0 && splitter.failure() == null) { // a break says so itself
      summary.notes.add(String.format(java.util.Locale.ROOT, "%s: the last line has no line"
          + " ending yet (%,d bytes, still being written?); it is left for the next scan",
          s.name(), splitter.heldBack()));
    }
  }

  /**
   * Whether less than {@link #LAST_CHUNK_BYTES} of plain file {@code s} (of {@code size} bytes
   * when the scan began) is left after {@code position}: the commit that ends the source then
   * takes the chunk under way and the rest (staged as it comes, as any chunk is). At the end of
   * a scan nothing else is left to do while the store writes, and a commit just before the last
   * one made DuckDB checkpoint twice (0.05 s more at the end of a 1M-line scan). Told from the
   * file, not from how far the reader got, so that the same log is cut into the same segments,
   * with the same tree heads, on every scan.
   */
  private static boolean nearEnd(LogSource s, long size, long position) {
    return s.appendable() && position <= size && size - position < LAST_CHUNK_BYTES;
  }

  /** Keeps the write that ends source {@code s} (fingerprint {@code fp}), not waited for. */
  private void endWith(Future<?> w, LogSource s, String fp) {
    lastWrite = w;
    lastWritePath = s.remembered() ? s.name() : null;
    lastWriteFingerprint = fp;
  }

  /** Waits for the write that ends the source before, rethrowing its failure. */
  private void awaitLastWrite() throws IOException {
    try {
      StoreWrites.await(lastWrite);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    lastWrite = null;
  }

  /** Takes the chunk's attack rows found so far out of {@code pending}, to be staged. */
  private StoreWrites.Write stage(long scanId, long[] id, BatchResult pending, Segment seg) {
    List<AttackEvent> rows = new ArrayList<>(pending.attacks);
    pending.attacks.clear();
    long firstLine = seg.firstLine;
    return () -> {
      if (id[0] == -1) {
        id[0] = store.newSourceId();
      }
      store.stage(rows, scanId, id[0], nextSeq(), firstLine);
    };
  }

  private BatchResult waitFor(Future<BatchResult> f, LogSource s, long lines, long bytesBefore,
      long totalBytes, ScanSummary summary) throws IOException, InterruptedException {
    while (true) {
      try {
        return f.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        progress.update(s.name(), summary.lines, bytesBefore + s.metrics().rawBytes(),
            totalBytes);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IllegalStateException("scan worker failed", e.getCause());
      }
    }
  }

  /** Passes directive lines ('#...') through the source's parser so its state follows them. */
  private static void feedDirectives(LineParser tracking, LineBatch b) {
    if (tracking.copy() == tracking) {
      return; // stateless
    }
    for (int i = 0; i < b.count; i++) {
      int text = b.lengths[i] > 0 ? LogFormats.textStart(b.data, b.starts[i], b.lengths[i]) : 0;
      if (b.lengths[i] > 0 && text < b.starts[i] + b.lengths[i] && b.data[text] == '#') {
        try {
          tracking.parse(new String(b.data, text, b.lengths[i] - (text - b.starts[i]),
              java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (BadLineException e) {
          // counted by the worker that parses the same line
        }
      }
    }
  }

  private LineParser parserFor(LogSource s, SourceRecord resumed, LineBatch first,
      ScanSummary summary, String[] formatName) {
    formatName[0] = "unknown";
    if (forced != null) {
      formatName[0] = options.format() + (options.zone() == null ? "" : "@" + options.zone());
      return forced.newParser();
    }
    List<String> sample = new ArrayList<>();
    for (int i = 0; i < first.count && sample.size() < 200; i++) {
      if (first.lengths[i] > 0) {
        int text = LogFormats.textStart(first.data, first.starts[i], first.lengths[i]);
        sample.add(new String(first.data, text, first.lengths[i] - (text - first.starts[i]),
            java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    LineParser remembered = remembered(resumed);
    // the rest of a file read before is read on as it was read (its new lines alone may be too
    // few to tell the format by, and a W3C log's #Fields came at its top), unless that reads
    // none of them and another format does (a format told wrongly, or forced wrongly, before)
    boolean keep = remembered != null && parsesAny(remembered.copy(), sample);
    LogFormats.Detection d = keep ? null : LogFormats.detect(sample);
    if (remembered != null && d == null) {
      formatName[0] = resumed.format();
      summary.notes.add(s.name() + ": format " + resumed.format() + " (as at the last scan)");
      return remembered;
    }
    String stale = remembered == null ? null : resumed.format();
    if (d == null) {
      summary.problems.add(s.name() + ": format not recognised (try --format); its lines are"
          + " counted as skipped");
      return line -> {
        throw new BadLineException("unknown-format");
      };
    }
    LogFormat found = options.zone() == null ? d.format() : d.format().inZone(options.zone());
    formatName[0] = found.name();
    summary.notes.add(s.name() + ": format " + found.name() + " (" + d.parsed() + " of "
        + d.sampled() + " sample lines parsed" + (stale == null ? ""
            : "; " + stale + ", as at the last scan, parses none of them") + ")");
    return found.newParser();
  }

  /** A parser in the format and state a source was last read in, or null when not known. */
  private static LineParser remembered(SourceRecord resumed) {
    if (resumed == null || resumed.format() == null || resumed.format().equals("unknown")) {
      return null;
    }
    try {
      LineParser p = LogFormats.byName(resumed.format()).newParser();
      if (resumed.parserState() != null) {
        for (String directive : resumed.parserState().split("\n")) {
          p.parse(directive);
        }
      }
      return p;
    } catch (IllegalArgumentException | BadLineException e) {
      return null; // stored by another version of Evident: tell the format afresh
    }
  }

  /** Whether {@code p} reads any request of the sample (directives move its state only). */
  private static boolean parsesAny(LineParser p, List<String> sample) {
    for (String line : sample) {
      try {
        if (p.parse(line) != null) {
          return true;
        }
      } catch (BadLineException e) {
        // not this one
      }
    }
    return sample.isEmpty();
  }

  /**
   * The commit of a chunk, which also learns the source's id from the first. The file's
   * fingerprint is read here, on the scanning thread: a source that cannot be read is that
   * source's problem, not a failure of the commit (which may end after the next source began).
   */
  private StoreWrites.Write commitOf(LogSource s, long scanId, long[] id, long offset, long lines,
      BatchResult r, long size, Segment seg, ReadOn readOn, SourceCommit.ReadBreak readError)
      throws IOException {
    long fpLen = Math.min(FINGERPRINT_BYTES, Math.max(0, size));
    String fp = s.remembered() ? s.fingerprint(fpLen) : null;
    return () -> id[0] = commit(s, scanId, id[0], offset, lines, r, size, seg, fp, fpLen,
        readOn, readError);
  }

  /**
   * How a source's lines were read up to a commit, and the behavioural windows there: the next
   * scan of it reads on the same way.
   */
  private record ReadOn(String format, String state, String behaviour) {
    static final ReadOn UNKNOWN = new ReadOn(null, null, null);
  }

  private long commit(LogSource s, long scanId, long sourceId, long offset, long lines,
      BatchResult r, long size, Segment seg, String fp, long fpLen, ReadOn readOn,
      SourceCommit.ReadBreak readError) {
    SourceRecord rec = null;
    if (s.remembered()) {
      rec = new SourceRecord(sourceId, s.name(), fp, fpLen, size, offset, lines,
          readOn.format(), readOn.state(), readOn.behaviour());
    } else {
      rec = new SourceRecord(-2, s.name(), null, 0, -1, offset, lines, null, null, null);
    }
    committing = true; // before stopping is read: an interruption waits for it, or it waits
    if (stopping) {
      committing = false;
      while (true) { // the process is ending: this commit would be cut short anyway
        java.util.concurrent.locks.LockSupport.park();
      }
    }
    SourceCommit.Segment committed;
    try {
      committed = seg == null ? null : seg.close(s.name());
    } catch (RuntimeException e) {
      committing = false;
      throw e;
    }
    try {
      long id = store.commit(new SourceCommit(scanId, sourceId, rec, r.attacks, r.traffic,
          r.skippedAt, committed, readError));
      if (committed != null) {
        lastHead = committed.head();
      }
      committedSoFar = String.format(java.util.Locale.ROOT, "%s up to line %,d", s.name(), lines);
      return id;
    } finally {
      committing = false;
      if (seg != null) {
        seg.discard();
      }
    }
  }

  /**
   * What an interruption (Ctrl-C, a stop signal) leaves: each commit is whole or absent, so the
   * store holds every source scanned before and the last one up to its last commit, and the
   * next scan goes on from there. Safe to call from a shutdown hook: it lets a commit being
   * written finish (for up to a minute), and no other begins after it.
   */
  public String interrupted() {
    stopping = true;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (committing && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    String c = committedSoFar;
    return c == null ? "interrupted before anything was committed; scanning again starts over"
        : "interrupted; stored up to the last commit (" + c + "); scanning again goes on from"
            + " there";
  }

  /** The sequence number of the next segment's head: it chains onto the last one. */
  private long nextSeq() {
    return lastHead == null ? 1 : lastHead.head().seq() + 1;
  }

  /**
   * The segment being built: every line of one commit, folded into a tree as results arrive in
   * line order, their leaf hashes streamed to a file for later proofs.
   */
  private final class Segment {
    private final String format;
    private final long firstLine;
    private final TreeBuilder tree = new TreeBuilder();
    private LeafFile.Writer leaves;

    Segment(String format, long firstLine) {
      this.format = format;
      this.firstLine = firstLine;
    }

    void add(BatchResult r) {
      if (r.lines == 0) {
        return;
      }
      if (leaves == null) {
        leaves = store.newLeafWriter();
      }
      tree.addAll(r.leaves, (int) r.lines);
      leaves.write(r.leaves, (int) r.lines);
    }

    /** The signed (when a key is at hand) head chained onto the last one; null if empty. */
    SourceCommit.Segment close(String source) {
      if (tree.size() == 0) {
        return null;
      }
      long seq = nextSeq();
      String prev = lastHead == null ? TreeHead.GENESIS : lastHead.head().hash();
      TreeHead h = new TreeHead(seq, source, format, firstLine, tree.size(),
          HexFormat.of().formatHex(tree.root()), prev,
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      SignedHead sh = options.signer() == null ? new SignedHead(h, null, null)
          : new SignedHead(h, options.signer().keyId(), options.signer().sign(h.canonical()));
      return new SourceCommit.Segment(sh, leaves);
    }

    void discard() {
      if (leaves != null) {
        leaves.close();
      }
    }
  }

  /**
   * Feeds a batch's requests, in line order, to the behavioural detectors; each finding becomes
   * an attack row of its own class, placed at the request that completed its window.
   */
  private void behaviour(BatchResult r, BehaviourDetector d, String source, ScanSummary summary) {
    if (d == null) {
      return;
    }
    BatchResult.Observations o = r.observations;
    for (int i = 0; i < o.count; i++) {
      List<Finding> found = d.observe(o.time[i], o.ip[i], o.method[i], o.path[i], o.status[i],
          o.attackClass[i], o.line[i]);
      if (!found.isEmpty()) {
        findings(found, o, i, r, source, summary);
      }
    }
    summary.evictedSources = d.evicted();
  }

  /** Stores findings as attacks (apart from the loop above: few requests make one). */
  private void findings(List<Finding> found, BatchResult.Observations o, int i, BatchResult r,
      String source, ScanSummary summary) {
    for (Finding f : found) {
      Location loc = locator.locate(f.sourceIp());
      String lines = f.lines().stream().map(String::valueOf)
          .collect(java.util.stream.Collectors.joining(", "));
      r.attacks.add(new AttackEvent(f.lastMillis(), o.site[i], f.sourceIp(),
          loc.scope().label(), loc.country(), loc.asn(), loc.organisation(), f.attackClass(),
          f.ruleId(), "critical", 5, null, o.method[i], o.path[i], o.status[i], null, null,
          f.summary() + "; lines " + lines, source, o.line[i], o.offset[i], null, null, -1,
          -1, null, null));
      summary.behaviour++;
      r.findings++;
    }
  }

  private static void merge(BatchResult into, BatchResult r) {
    into.attacks.addAll(r.attacks);
    r.traffic.forEach((k, v) -> {
      long[] t = into.traffic.computeIfAbsent(k, x -> new long[2]);
      t[0] += v[0];
      t[1] += v[1];
    });
    r.skippedAt.forEach((k, v) -> into.skippedAt.merge(k, v, Long::sum));
  }

  private static void add(ScanSummary summary, BatchResult r) {
    summary.lines += r.lines;
    summary.requests += r.requests;
    summary.attacks += r.attacks.size() - r.findings;
    summary.repaired += r.repaired;
    summary.unscored += r.unscored;
    summary.unscoredAttacks += r.unscoredAttacks;
    r.skippedAt.forEach((k, v) -> summary.skipped.merge(k.reason(), v, Long::sum));
  }
}
