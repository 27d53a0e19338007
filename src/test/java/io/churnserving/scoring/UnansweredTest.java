package io.churnserving.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scorer's list of admitted requests, whose sweep times out those no answer reached by their deadline. */
class UnansweredTest {
  private final List<String> expired = new ArrayList<>();

  private Unanswered.Entry entry(String name, long deadline) {
    return new Unanswered.Entry(deadline) {
      @Override
      void expire() {
        expired.add(name);
      }
    };
  }

  @Test
  void aSweepExpiresEveryOverdueEntryOnceAndKeepsTheRest() {
    Unanswered list = new Unanswered();
    list.add(entry("a", 10));
    list.add(entry("b", 20));
    list.add(entry("c", 30));
    list.sweep(20);
    assertThat(expired).containsExactly("a", "b");
    assertThat(list.size()).isEqualTo(1);
    list.sweep(25);
    assertThat(expired).containsExactly("a", "b");
    list.sweep(30);
    assertThat(expired).containsExactly("a", "b", "c");
    assertThat(list.size()).isZero();
  }

  @Test
  void anAnsweredEntryIsNeverExpiredAndRemovingItTwiceIsHarmless() {
    Unanswered list = new Unanswered();
    Unanswered.Entry first = entry("first", 10);
    Unanswered.Entry middle = entry("middle", 20);
    Unanswered.Entry last = entry("last", 30);
    list.add(first);
    list.add(middle);
    list.add(last);
    list.remove(middle);
    list.remove(middle);
    list.remove(first);
    assertThat(list.size()).isEqualTo(1);
    list.sweep(100);
    assertThat(expired).containsExactly("last");
    list.remove(last);
    assertThat(list.size()).isZero();
  }

  @Test
  void deadlinesAreComparedSafelyAcrossTheWrapOfNanoTime() {
    Unanswered list = new Unanswered();
    list.add(entry("late", Long.MAX_VALUE));
    list.add(entry("later", Long.MIN_VALUE + 10));
    list.sweep(Long.MAX_VALUE - 5);
    assertThat(expired).isEmpty();
    list.sweep(Long.MIN_VALUE + 10);
    assertThat(expired).containsExactly("late", "later");
  }
}
