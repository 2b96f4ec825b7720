package org.evident.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.evident.evidence.SiteKey;
import picocli.CommandLine.Option;

/**
 * The {@code --key} option of every command that signs, and where keys live by default:
 * {@code $XDG_CONFIG_HOME/evident/site.key} (else {@code ~/.config/evident/site.key}). The key
 * file holds the private key and, after it, the public key, both PEM; {@code site.pub} beside it
 * holds the public key alone, for publishing.
 */
final class KeyOption {
  @Option(names = "--key", paramLabel = "FILE",
      description = "The site's signing key (default: $XDG_CONFIG_HOME/evident/site.key, else"
          + " ~/.config/evident/site.key; make one with 'evident keygen').")
  Path key;

  Path path() {
    return key != null ? key : defaultKey();
  }

  static Path defaultKey() {
    String dir = System.getProperty("evident.config.dir"); // for tests and embedding
    if (dir != null) {
      return Path.of(dir, "site.key");
    }
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("evident").resolve("site.key");
  }

  static Path publicFile(Path keyFile) {
    String n = keyFile.getFileName().toString();
    String base = n.endsWith(".key") ? n.substring(0, n.length() - 4) : n;
    return keyFile.resolveSibling(base + ".pub");
  }

  /** The key, or null when none was named and none exists at the default place. */
  SiteKey loadIfPresent() {
    if (key == null && !Files.exists(defaultKey())) {
      return null;
    }
    return load();
  }

  /** The key; a missing or unreadable key is the user's to fix. */
  SiteKey load() {
    Path p = path();
    if (!Files.isRegularFile(p)) {
      throw new UserException("no signing key at " + p + " (make one with 'evident keygen'"
          + (key != null ? " --key " + p : "") + ")");
    }
    try {
      String pem = Files.readString(p, StandardCharsets.US_ASCII);
      return SiteKey.fromPem(pem, pem);
    } catch (IOException e) {
      throw new UserException("cannot read signing key " + p + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UserException(p + " is not an Evident signing key: " + e.getMessage());
    }
  }

  /** Reads a public key file (PEM); a user error when it is not one. */
  static PublicKey readPublic(Path p) {
    try {
      return SiteKey.publicFromPem(Files.readString(p, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UserException("cannot read public key " + p + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UserException(p + " is not an Ed25519 public key (PEM): " + e.getMessage());
    }
  }
}
