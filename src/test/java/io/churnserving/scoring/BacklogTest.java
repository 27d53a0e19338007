package io.churnserving.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The backlog's measured cost per row: it follows the model's cost, but one stalled call cannot swing it. */
class BacklogTest {
  @Test
  void oneStalledCallLiftsTheEstimateAtMostFourfoldTimesItsWeight() {
    Backlog backlog = new Backlog(1, 1000);
    Backlog.Lane lane = backlog.chunks;
    double before = lane.nanosPerRow();
    lane.scored(128, 50_000_000L); // 128 rows held 50 ms by a pause: 390 µs a row, were it believed
    double weight = 128 / Backlog.WINDOW_ROWS;
    assertThat(lane.nanosPerRow()).isCloseTo(before + weight * (Backlog.MAX_JUMP * before - before),
        org.assertj.core.data.Offset.offset(1.0));
  }

  @Test
  void aLastingSlowdownIsFollowed() {
    Backlog backlog = new Backlog(1, 1000);
    Backlog.Lane lane = backlog.chunks;
    for (int i = 0; i < 200; i++) {
      lane.scored(128, 128 * 20_000L); // 20 µs a row, call after call
    }
    assertThat(lane.nanosPerRow()).isCloseTo(20_000, org.assertj.core.data.Offset.offset(100.0));
  }
}
