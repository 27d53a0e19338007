package io.churnserving.app;

import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run in its own JVM by {@link NoNetworkTest}: records, and refuses, every connection or name lookup to anything but
 * loopback while the real {@link Main} starts, then prints what it saw. A security manager sees every socket connect
 * and lookup, NIO included, before any packet leaves.
 */
public final class NetworkGuardProbe {
  private NetworkGuardProbe() {
  }

  @SuppressWarnings("removal")
  public static void main(String[] args) throws Exception {
    List<String> attempts = new CopyOnWriteArrayList<>();
    System.setSecurityManager(new SecurityManager() {
      @Override
      public void checkPermission(java.security.Permission perm) {
      }

      @Override
      public void checkPermission(java.security.Permission perm, Object context) {
      }

      @Override
      public void checkConnect(String host, int port) {
        if (!isLoopback(host)) {
          attempts.add(host + ":" + port);
          throw new SecurityException("network refused by the test: " + host);
        }
      }

      @Override
      public void checkConnect(String host, int port, Object context) {
        checkConnect(host, port);
      }
    });
    // Control: the guard does see an attempt (TEST-NET-1 address, refused before any packet is sent).
    try (Socket s = new Socket("192.0.2.1", 80)) {
      System.out.println("CONTROL NOT BLOCKED");
    } catch (SecurityException expected) {
      System.out.println("CONTROL " + attempts);
    }
    attempts.clear();
    Main.main(new String[0]);
    Thread.sleep(1500); // anything started in the background at start-up gets its chance to call out
    System.out.println("ATTEMPTS " + attempts);
    System.exit(0);
  }

  private static boolean isLoopback(String host) {
    if (host == null || host.equals("localhost")) {
      return true;
    }
    try {
      return host.matches("[0-9.:\\[\\]a-fA-F]+") && InetAddress.getByName(host).isLoopbackAddress();
    } catch (Exception e) {
      return false;
    }
  }
}
