package org.evident.detect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The SHA-1 digest of the text's UTF-8 bytes, one byte per character (use with hexEncode). */
final class Sha1 implements Transformation {

  @Override
  public String name() {
    return "sha1";
  }

  @Override
  public String apply(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
      return new String(d, StandardCharsets.ISO_8859_1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
