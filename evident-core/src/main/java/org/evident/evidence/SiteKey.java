package org.evident.evidence;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A site's Ed25519 signing key, with the PEM forms it is kept and published in (PKCS#8 for the
 * private key, SubjectPublicKeyInfo for the public one, as OpenSSL writes them). Reading and
 * writing the files is the caller's business.
 */
public final class SiteKey {
  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private SiteKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  public static SiteKey generate() {
    try {
      KeyPair p = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new SiteKey(p.getPrivate(), p.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make Ed25519 keys", e);
    }
  }

  /** Reads a private key PEM together with its public key PEM. */
  public static SiteKey fromPem(String privatePem, String publicPem) {
    try {
      PrivateKey priv = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(pemBody(privatePem, "PRIVATE KEY")));
      return new SiteKey(priv, publicFromPem(publicPem));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key");
    }
  }

  public static PublicKey publicFromPem(String pem) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(pemBody(pem, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
  }

  public String privatePem() {
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  public String publicPem() {
    return publicPem(publicKey);
  }

  public static String publicPem(PublicKey k) {
    return pem("PUBLIC KEY", k.getEncoded());
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public String keyId() {
    return keyId(publicKey);
  }

  /** First 16 bytes of SHA-256 over the public key's DER form, hex: names a key briefly. */
  public static String keyId(PublicKey k) {
    byte[] d = Merkle.sha256().digest(k.getEncoded());
    return HexFormat.of().formatHex(d, 0, 16);
  }

  /** Base64 Ed25519 signature over the bytes. */
  public String sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(message);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean verify(PublicKey key, byte[] message, String signatureBase64) {
    if (signatureBase64 == null) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(Base64.getDecoder().decode(signatureBase64));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] pemBody(String pem, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int b = pem == null ? -1 : pem.indexOf(begin);
    int e = b < 0 ? -1 : pem.indexOf(end, b);
    if (b < 0 || e < 0) {
      throw new IllegalArgumentException("no " + type + " PEM block");
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    } catch (IllegalArgumentException x) {
      throw new IllegalArgumentException("bad base64 in the " + type + " PEM block");
    }
  }
}
