package org.evident.store;

/**
 * What the store remembers of a scanned log, so a re-scan adds nothing and a grown file adds only
 * its new lines.
 *
 * @param id store id
 * @param path path as given when last scanned
 * @param fingerprint SHA-256 (hex) of the file's first {@code fingerprintLength} bytes
 * @param fingerprintLength how many bytes the fingerprint covers (up to 4 KiB)
 * @param rawSize the file's size on disk when last scanned
 * @param offset bytes of log text consumed (decompressed, for .gz)
 * @param lines lines consumed
 * @param format the log format its lines were read in (a format name or a --format spec), or
 *     null when not known (stored before schema 4, or not recognised)
 * @param parserState the parser's state at {@code offset} (see {@code LineParser.state()}), or
 *     null
 * @param behaviourState the behavioural detectors' windows at {@code offset} (see {@code
 *     BehaviourDetector.snapshot()}), or null
 */
public record SourceRecord(long id, String path, String fingerprint, long fingerprintLength,
    long rawSize, long offset, long lines, String format, String parserState,
    String behaviourState) {}
