package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlReportTest {
  @Test
  void theAxisIsLabelledInNines() {
    assertThat(HtmlReport.ninesLabel(0)).isEqualTo("0%");
    assertThat(HtmlReport.ninesLabel(1)).isEqualTo("90%");
    assertThat(HtmlReport.ninesLabel(2)).isEqualTo("99%");
    assertThat(HtmlReport.ninesLabel(4)).isEqualTo("99.99%");
  }

  @Test
  void theLatencyAxisEndsOnARoundNumber() {
    assertThat(HtmlReport.niceCeiling(0.73)).isEqualTo(1.0);
    assertThat(HtmlReport.niceCeiling(1.3)).isEqualTo(2.0);
    assertThat(HtmlReport.niceCeiling(37)).isEqualTo(50.0);
    assertThat(HtmlReport.niceCeiling(0)).isEqualTo(1.0);
  }

  @Test
  void textIsEscaped() {
    assertThat(HtmlReport.esc("<a href=\"x\">&</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  }
}
