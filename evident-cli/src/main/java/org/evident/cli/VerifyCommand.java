package org.evident.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.evident.evidence.BundleException;
import org.evident.evidence.BundleVerifier;
import org.evident.report.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evident verify}: checks a bundle with nothing but it and the signer's public key. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Checks an evidence bundle from 'report --sign' or 'disclose': the signature over its"
            + " claims, every tree head's signature, the chain of heads (nothing removed,"
            + " inserted or re-ordered), every disclosed line's inclusion proof, the counts the"
            + " claims state, and every disclosed line's verdict, judged again here with the"
            + " same rules. Needs no database: it runs anywhere.",
        "",
        "The signer's public key comes from --pubkey, else from the local key store"
            + " ($XDG_CONFIG_HOME/evident/site.pub). A key carried inside the bundle is used only"
            + " as a last resort, with a warning: it proves nothing about who signed."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:verified: every check passed",
        "1:the bundle or key cannot be read (not JSON, truncated, too big, missing)",
        "2:bad usage", "3:verification failed: each failed check is listed"})
final class VerifyCommand implements Callable<Integer> {
  @Parameters(paramLabel = "BUNDLE", description = "The bundle file, or - for standard input.")
  String bundle;

  @Option(names = "--pubkey", paramLabel = "FILE",
      description = "The signer's public key (PEM), as the site published it.")
  Path pubkey;

  @Option(names = "--rules", paramLabel = "SPEC", split = ",",
      description = "The rules to judge disclosed lines with; they must be the ones the bundle"
          + " names (default: ${DEFAULT-VALUE}).")
  List<String> rules = new java.util.ArrayList<>(List.of("evident"));

  @Option(names = "--max-bytes", paramLabel = "N",
      description = "Refuse bundles larger than this (default: ${DEFAULT-VALUE}).")
  long maxBytes = 2L << 30;

  @Override
  public Integer call() throws IOException {
    PublicKey key = null;
    if (pubkey != null) {
      key = KeyOption.readPublic(pubkey);
    } else {
      Path local = KeyOption.publicFile(KeyOption.defaultKey());
      if (Files.isRegularFile(local)) {
        key = KeyOption.readPublic(local);
        System.err.println("evident: checking with the local public key " + local);
      }
    }
    BundleVerifier v = new BundleVerifier(key, RuleSources.load(rules));
    BundleVerifier.Outcome o;
    long t0 = System.nanoTime();
    try (InputStream in = open()) {
      o = v.verify(in, maxBytes);
    } catch (BundleException e) {
      throw new UserException(TerminalText.safe(e.getMessage())); // it may quote the bundle
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    for (String w : o.warnings()) {
      System.err.println("evident: " + w);
    }
    if (!o.ok()) {
      System.out.println("NOT VERIFIED: " + bundle);
      for (String f : o.failures()) {
        System.out.println("  FAIL " + TerminalText.safe(f));
      }
      return 3;
    }
    System.out.printf(Locale.ROOT, "VERIFIED: %s (%s signed by key %s): %,d tree heads chained"
        + " and signed, %,d disclosed lines proven, %,d judged again with the same verdict"
        + " (%.1f s).%n", TerminalText.safe(bundle), o.kind(), o.keyId(), o.heads(), o.lines(),
        o.rejudged(), secs);
    return 0;
  }

  private InputStream open() {
    if (bundle.equals("-")) {
      return System.in;
    }
    try {
      return new BufferedInputStream(Files.newInputStream(Path.of(bundle)), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new UserException("no bundle at " + bundle);
    } catch (IOException e) {
      throw new UserException("cannot read " + bundle + ": " + e.getMessage());
    }
  }
}
