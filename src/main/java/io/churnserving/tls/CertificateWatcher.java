package io.churnserving.tls;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the certificate and key files every {@code TLS_RELOAD_INTERVAL_MS} and serves a changed pair to new
 * connections, without a restart. The files are read whole and compared with the pair in force, not by modification
 * time: a renewal that keeps the size and lands within the clock's resolution, or a Kubernetes secret swapped by a
 * symbolic link, is still seen. Both files are a few kilobytes, read with Vert.x's asynchronous file system and
 * checked on a worker thread, never on an event loop. A pair that fails its check (a file missing, not PEM, or a key
 * that is not the certificate's, as while a rotation has written one file and not yet the other) is logged at WARN
 * once and the pair in force stays.
 */
public final class CertificateWatcher extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateWatcher.class);

  private final ServerCertificates certificates;
  private final Path certPath;
  private final Path keyPath;
  private final long periodMs;
  private boolean checking;
  /**
   * The bytes last refused, so that files left as they are are neither checked nor logged again, and what the last
   * refusal said, so that a file that stays unreadable is logged once.
   */
  private String lastRefusal;
  private Buffer refusedCert;
  private Buffer refusedKey;

  public CertificateWatcher(ServerCertificates certificates, Path certPath, Path keyPath, long periodMs) {
    this.certificates = certificates;
    // Absolute: Vert.x's file system looks a relative path up on the class path too when it is not on disk.
    this.certPath = certPath.toAbsolutePath();
    this.keyPath = keyPath.toAbsolutePath();
    this.periodMs = periodMs;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(periodMs, id -> check());
    return Future.succeededFuture();
  }

  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    Future<Buffer> cert = vertx.fileSystem().readFile(certPath.toString());
    Future<Buffer> key = vertx.fileSystem().readFile(keyPath.toString());
    Future.join(cert, key)
        .recover(failure -> Future.failedFuture(unreadable(cert, key)))
        .compose(read -> reload(cert.result(), key.result()))
        .onFailure(this::refused)
        .onComplete(ar -> checking = false);
  }

  private Future<Void> reload(Buffer cert, Buffer key) {
    if (certificates.current().sameAs(cert, key)) {
      lastRefusal = null;
      return Future.succeededFuture();
    }
    if (cert.equals(refusedCert) && key.equals(refusedKey)) {
      return Future.succeededFuture(); // refused already, and logged
    }
    refusedCert = cert;
    refusedKey = key;
    lastRefusal = null; // new bytes: their refusal is worth a line even if it reads as the last one did
    return vertx.executeBlocking(() -> CertificatePair.of(vertx, cert, key, certPath, keyPath))
        .compose(next -> certificates.install(next).onSuccess(v -> loaded(next)));
  }

  /** Why a file could not be read, naming it; the same reason, read again, is not logged again. */
  private String unreadable(Future<Buffer> cert, Future<Buffer> key) {
    boolean certFailed = cert.failed();
    Throwable cause = certFailed ? cert.cause() : key.cause();
    String setting = certFailed ? "TLS_CERT_PATH " + certPath : "TLS_KEY_PATH " + keyPath;
    return setting + " cannot be read: " + cause.getMessage();
  }

  private void loaded(CertificatePair next) {
    lastRefusal = null;
    refusedCert = null;
    refusedKey = null;
    LOG.atInfo().addKeyValue("subject", next.subject()).addKeyValue("serial", next.serial())
        .addKeyValue("not_after", next.notAfter().toString())
        .log("TLS certificate reloaded; new connections get it, open ones keep theirs");
  }

  private void refused(Throwable failure) {
    String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (reason.equals(lastRefusal)) {
      return;
    }
    lastRefusal = reason;
    LOG.atWarn().addKeyValue("subject", certificates.current().subject())
        .addKeyValue("serial", certificates.current().serial())
        .log("TLS certificate not reloaded, the one in force stays: " + reason);
  }
}
