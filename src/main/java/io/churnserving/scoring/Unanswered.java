package io.churnserving.scoring;

/**
 * The requests one scorer has admitted and not yet answered, in the order they were admitted, so that one periodic
 * sweep can time out any whose answer never came, rather than a timer per request. Only requests with the default
 * deadline are held here: theirs fall due in the order they were admitted, so a sweep stops at the first that is not
 * due. Adding and removing are O(1) and allocate nothing: each entry is its own list node.
 *
 * <p>Confined to the scorer's event loop.
 */
final class Unanswered {

  /** One admitted request; {@link #expire} answers it with a timeout. */
  abstract static class Entry {
    final long deadline;
    private Entry previous;
    private Entry next;
    private boolean linked;

    Entry(long deadline) {
      this.deadline = deadline;
    }

    /** Called by the sweep, once, after the entry is removed. */
    abstract void expire();
  }

  private Entry oldest;
  private Entry newest;
  private int size;

  void add(Entry e) {
    e.previous = newest;
    e.next = null;
    if (newest == null) {
      oldest = e;
    } else {
      newest.next = e;
    }
    newest = e;
    e.linked = true;
    size++;
  }

  /** Removes the entry if it is still held; removing twice is harmless. */
  void remove(Entry e) {
    if (!e.linked) {
      return;
    }
    if (e.previous == null) {
      oldest = e.next;
    } else {
      e.previous.next = e.next;
    }
    if (e.next == null) {
      newest = e.previous;
    } else {
      e.next.previous = e.previous;
    }
    e.previous = null;
    e.next = null;
    e.linked = false;
    size--;
  }

  /** Removes and expires, oldest first, every entry whose deadline is not after {@code nowNanos}. */
  void sweep(long nowNanos) {
    while (oldest != null && oldest.deadline - nowNanos <= 0) {
      Entry due = oldest;
      remove(due);
      due.expire();
    }
  }

  int size() {
    return size;
  }
}
