package io.churnserving.tls;

import io.churnserving.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * A certificate chain and its private key, read from two PEM files and checked before they are served: the
 * certificate file must hold an X.509 certificate, the key file a private key Vert.x can load, and the key must be
 * the certificate's. The last check is what makes a rotation safe: a poll that sees the new certificate before the
 * new key is written refuses the pair rather than serving a certificate no client can complete a handshake with.
 * The parsing is the JDK's and Vert.x's; checking the pair signs a random challenge with the key and verifies it
 * with the certificate's public key.
 */
public final class CertificatePair {
  private final Buffer cert;
  private final Buffer key;
  private final X509Certificate leaf;

  private CertificatePair(Buffer cert, Buffer key, X509Certificate leaf) {
    this.cert = cert;
    this.key = key;
    this.leaf = leaf;
  }

  /**
   * Reads and checks both files. Blocking: call it off the event loop.
   *
   * @throws ConfigException naming the file at fault and why
   */
  public static CertificatePair read(Vertx vertx, Path certPath, Path keyPath) {
    return of(vertx, read(certPath, "TLS_CERT_PATH"), read(keyPath, "TLS_KEY_PATH"), certPath, keyPath);
  }

  /**
   * Checks the contents of both files. Blocking (key parsing): call it off the event loop.
   *
   * @throws ConfigException naming the file at fault and why
   */
  public static CertificatePair of(Vertx vertx, Buffer cert, Buffer key, Path certPath, Path keyPath) {
    X509Certificate leaf = certificate(cert, certPath);
    PrivateKey privateKey = privateKey(vertx, cert, key, leaf, keyPath);
    if (!belongTogether(privateKey, leaf.getPublicKey())) {
      throw new ConfigException("TLS_KEY_PATH " + keyPath + " holds a private key that is not the key of the "
          + "certificate in TLS_CERT_PATH " + certPath);
    }
    return new CertificatePair(cert, key, leaf);
  }

  /** Whether these are the very bytes this pair was read from. */
  public boolean sameAs(Buffer otherCert, Buffer otherKey) {
    return cert.equals(otherCert) && key.equals(otherKey);
  }

  /** The pair as Vert.x takes it, by value, so a listener never reads the files itself on its event loop. */
  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
  }

  private static Buffer read(Path path, String setting) {
    try {
      return Buffer.buffer(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new ConfigException(setting + " " + path + ": no such file");
    } catch (IOException | SecurityException e) {
      throw new ConfigException(setting + " " + path + " cannot be read: " + e.getClass().getSimpleName());
    }
  }

  private static X509Certificate certificate(Buffer cert, Path certPath) {
    try {
      var certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(cert.getBytes()));
      if (!certificates.isEmpty() && certificates.iterator().next() instanceof X509Certificate x509) {
        return x509;
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // reported below, naming the file
    }
    throw new ConfigException("TLS_CERT_PATH " + certPath + " holds no PEM certificate "
        + "(-----BEGIN CERTIFICATE-----)");
  }

  /** The private key as Vert.x itself loads it, so that what passes here is what the listener will serve. */
  private static PrivateKey privateKey(Vertx vertx, Buffer cert, Buffer key, X509Certificate leaf, Path keyPath) {
    try {
      KeyManager[] managers = new PemKeyCertOptions().setCertValue(cert).setKeyValue(key)
          .getKeyManagerFactory(vertx).getKeyManagers();
      String algorithm = leaf.getPublicKey().getAlgorithm();
      for (KeyManager manager : managers) {
        if (manager instanceof X509KeyManager x509) {
          String[] aliases = x509.getServerAliases(algorithm, null);
          if (aliases != null && aliases.length > 0) {
            return x509.getPrivateKey(aliases[0]);
          }
        }
      }
    } catch (Exception e) {
      // Vert.x's loader throws plain exceptions for a missing delimiter or a malformed key; reported below.
    }
    throw new ConfigException("TLS_KEY_PATH " + keyPath + " holds no PEM private key of the certificate's type ("
        + leaf.getPublicKey().getAlgorithm() + "; -----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or "
        + "-----BEGIN EC PRIVATE KEY-----)");
  }

  private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
    String algorithm = switch (publicKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> null;
    };
    if (algorithm == null) {
      return true; // Vert.x loads only RSA and EC keys; nothing else gets this far
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The subject of the certificate served first, for logs. */
  public String subject() {
    return leaf.getSubjectX500Principal().getName();
  }

  /** Its serial number in hex, for logs. */
  public String serial() {
    return leaf.getSerialNumber().toString(16);
  }

  /** When it expires, for logs. */
  public Instant notAfter() {
    return leaf.getNotAfter().toInstant();
  }
}
