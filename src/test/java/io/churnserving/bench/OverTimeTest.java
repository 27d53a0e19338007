package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The over-time series: interval lengths for short and long runs, and the loops' series added up. */
class OverTimeTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void shortRunsGetOneSecondIntervalsAndLongOnesAtMostThreeHundred() {
    assertThat(OverTime.widthFor(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(1));
    assertThat(OverTime.widthFor(Duration.ofSeconds(300))).isEqualTo(Duration.ofSeconds(1));
    assertThat(OverTime.widthFor(Duration.ofSeconds(600))).isEqualTo(Duration.ofSeconds(2));
    assertThat(OverTime.widthFor(Duration.ofMinutes(75))).isEqualTo(Duration.ofSeconds(15));
    assertThat(OverTime.widthFor(Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void answersFallIntoTheIntervalTheyCameInAndLoopsAddUp() {
    Timeline timeline = new Timeline(0, 2 * SECOND, 5 * SECOND);
    OverTime a = new OverTime(timeline);
    OverTime b = new OverTime(timeline);
    a.answered(200, 1_000, 2 * SECOND + 1);
    a.answered(503, 9_000, 2 * SECOND + 2);
    b.answered(200, 3_000, 4 * SECOND + 5);
    b.failed(4 * SECOND + 6);
    // After the end: an answer to a request due before it, counted in the last interval.
    b.answered(200, 2_000, 5 * SECOND + 10);

    OverTime sum = new OverTime(timeline);
    sum.add(a);
    sum.add(b);
    List<OverTime.Point> points = sum.points();

    assertThat(points).extracting(OverTime.Point::endSeconds).containsExactly(1.0, 2.0, 3.0);
    assertThat(points).extracting(OverTime.Point::answers).containsExactly(2L, 0L, 2L);
    assertThat(points).extracting(OverTime.Point::succeeded).containsExactly(1L, 0L, 2L);
    assertThat(points).extracting(OverTime.Point::errors).containsExactly(1L, 0L, 1L);
    assertThat(points.get(0).maxMs()).isCloseTo(9.0, org.assertj.core.data.Offset.offset(0.1));
    assertThat(points.get(1).p99Ms()).isZero();
    assertThat(points.get(2).perSecond(points.get(2).answers())).isEqualTo(2.0);
  }

  @Test
  void aLastIntervalCutShortByTheEndCountsPerSecondOfItsOwnLength() {
    OverTime overTime = new OverTime(new Timeline(0, 0, 1_500_000_000L));
    overTime.answered(200, 1_000, 1_200_000_000L);

    List<OverTime.Point> points = overTime.points();

    assertThat(points).extracting(OverTime.Point::endSeconds).containsExactly(1.0, 1.5);
    assertThat(points.get(1).perSecond(points.get(1).answers())).isEqualTo(2.0);
  }
}
