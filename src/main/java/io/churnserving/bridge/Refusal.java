package io.churnserving.bridge;

/**
 * Why a frame or a connection was refused.
 *
 * @param status      the HTTP status of the same refusal, sent as the frame's {@code failureCode}
 * @param code        a stable word a client can switch on ({@code unauthorized}, {@code rate_limited}...)
 * @param why         what was wrong, for a person
 * @param retryAfterS for {@code rate_limited}, whole seconds until a token is there; else 0
 */
record Refusal(int status, String code, String why, long retryAfterS) {
  static Refusal of(int status, String code, String why) {
    return new Refusal(status, code, why, 0);
  }

  String message() {
    return code + ": " + why;
  }
}
