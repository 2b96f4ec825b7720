package org.evident.store;

/**
 * A log that broke off while it was read (a {@code .gz} cut short, a disk error): every line
 * before the break was scanned, what came after is unknown, so a report names it instead of
 * counting skipped lines it cannot know.
 *
 * @param source the log as the scan named it
 * @param afterLine the last line read before the break
 * @param reason what the reader said
 */
public record ReadError(String source, long afterLine, String reason) {}
