package org.evident.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import org.evident.evidence.SiteKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evident keygen}: the site's Ed25519 key, for signing tree heads and reports. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {
        "Creates the site's Ed25519 signing key. Scans then sign every new tree head with it,"
            + " and 'report --sign' and 'disclose' sign what they write.",
        "",
        "The key file is created readable by its owner only and is never printed. The public"
            + " key is written beside it as SITE.pub (PEM, as 'openssl pkey -pubout' writes it):"
            + " publish it, so that others can check what you sign with 'evident verify'."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:key created", "1:a key exists already (use --force) or cannot be written",
        "2:bad usage"})
final class KeygenCommand implements Callable<Integer> {
  @Mixin
  KeyOption key;

  @Option(names = "--force", description = "Replace an existing key (what it signed can then"
      + " only be checked with the old public key).")
  boolean force;

  @Override
  public Integer call() {
    Path p = key.path().toAbsolutePath();
    Path pub = KeyOption.publicFile(p);
    if (Files.exists(p) && !force) {
      throw new UserException("a key exists already at " + p + " (use --force to replace it)");
    }
    SiteKey k = SiteKey.generate();
    try {
      Files.createDirectories(p.getParent());
      Path tmp = Files.createTempFile(p.getParent(), ".site", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the folder's protection is all there is
      }
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
        w.write(k.privatePem());
        w.write(k.publicPem());
      }
      Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(pub, k.publicPem(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UserException("cannot write the key to " + p + ": " + e.getMessage());
    }
    System.out.println("Created signing key " + p + " (owner-only).");
    System.out.println("Public key: " + pub + " (key id " + k.keyId() + "); publish it.");
    return 0;
  }
}
