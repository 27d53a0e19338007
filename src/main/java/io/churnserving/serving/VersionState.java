package io.churnserving.serving;

/** A version's state, as the repository index of the Open Inference Protocol names them. */
public enum VersionState {
  /** Being loaded, checked and warmed; not yet serving. */
  LOADING,
  /** Serving. */
  READY,
  /** Taking no new requests; answering those it admitted before it is released. */
  UNLOADING,
  /** Not serving: failed its checks (the reason says which), or unloaded. */
  UNAVAILABLE
}
