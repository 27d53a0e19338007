package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule with a clock given by hand: no sleeping, no timing. */
class OpenLoopScheduleTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void requestsFallDueEvenlyAndKeepTheirDueTime() {
    OpenLoopSchedule s = new OpenLoopSchedule(new Timeline(0, 0, SECOND), 1000, 0, 1);
    assertThat(s.scheduled()).isEqualTo(1000);
    assertThat(s.next(0)).isEqualTo(0);
    assertThat(s.next(0)).isEqualTo(Pacer.NOTHING_DUE);
    assertThat(s.nextDueNanos()).isEqualTo(1_000_000);
    // A connection that comes free late takes the overdue requests one by one, each with its own due time.
    assertThat(s.next(3_500_000)).isEqualTo(1_000_000);
    assertThat(s.next(3_500_000)).isEqualTo(2_000_000);
    assertThat(s.next(3_500_000)).isEqualTo(3_000_000);
    assertThat(s.next(3_500_000)).isEqualTo(Pacer.NOTHING_DUE);
    assertThat(s.notSent()).isEqualTo(996);
  }

  @Test
  void nothingIsDueAfterTheLastRequest() {
    OpenLoopSchedule s = new OpenLoopSchedule(new Timeline(0, 0, SECOND), 10, 0, 1);
    List<Long> due = new ArrayList<>();
    for (long t; (t = s.next(2 * SECOND)) != Pacer.NOTHING_DUE; ) {
      due.add(t);
    }
    assertThat(due).hasSize(10).endsWith(900_000_000L);
    assertThat(s.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(s.notSent()).isZero();
  }

  @Test
  void warmUpRequestsAreNeitherScheduledNorMissedInTheMeasurement() {
    OpenLoopSchedule s = new OpenLoopSchedule(new Timeline(0, SECOND / 2, 3 * SECOND / 2), 100, 0, 1);
    assertThat(s.scheduled()).isEqualTo(100);
    for (int i = 0; i < 50; i++) {
      assertThat(s.next(SECOND / 2 - 1)).isLessThan(SECOND / 2);
    }
    assertThat(s.notSent()).isEqualTo(100);
    assertThat(s.next(SECOND / 2)).isEqualTo(SECOND / 2);
    assertThat(s.notSent()).isEqualTo(99);
    assertThat(s.warmupDropped()).isZero();
  }

  @Test
  void aWarmUpBacklogIsDroppedWhenMeasuringBegins() {
    OpenLoopSchedule s = new OpenLoopSchedule(new Timeline(0, SECOND / 2, 3 * SECOND / 2), 100, 0, 1);
    assertThat(s.next(0)).isZero();
    // The client was too slow to send the other 49 warm-up requests: they are not charged to the measurement.
    assertThat(s.next(SECOND / 2 + 1)).isEqualTo(SECOND / 2);
    assertThat(s.warmupDropped()).isEqualTo(49);
    assertThat(s.notSent()).isEqualTo(99);
  }

  @Test
  void loopsShareOneScheduleBetweenThem() {
    Timeline timeline = new Timeline(0, 0, SECOND);
    List<Long> all = new ArrayList<>();
    long scheduled = 0;
    for (int w = 0; w < 3; w++) {
      OpenLoopSchedule s = new OpenLoopSchedule(timeline, 1000, w, 3);
      scheduled += s.scheduled();
      for (long t; (t = s.next(SECOND)) != Pacer.NOTHING_DUE; ) {
        all.add(t);
      }
    }
    OpenLoopSchedule alone = new OpenLoopSchedule(timeline, 1000, 0, 1);
    List<Long> expected = new ArrayList<>();
    for (long t; (t = alone.next(SECOND)) != Pacer.NOTHING_DUE; ) {
      expected.add(t);
    }
    assertThat(scheduled).isEqualTo(1000);
    assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theClosedLoopAlwaysHasARequestDueUntilTheEnd() {
    Pacer closed = Pacer.closedLoop(new Timeline(0, 0, SECOND));
    assertThat(closed.next(5)).isEqualTo(5);
    assertThat(closed.next(5)).isEqualTo(5);
    assertThat(closed.next(SECOND)).isEqualTo(Pacer.NOTHING_DUE);
    assertThat(closed.scheduled()).isZero();
  }
}
