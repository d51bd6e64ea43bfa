package io.flexsched.model;

import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkMatrixTest {
  @Test
  void keepsSymmetricScores() {
    var links = LinkMatrix.of(new int[][] {
      {0, 100, 20},
      {100, 0, 10},
      {20, 10, 0},
    });

    assertThat(links.size()).isEqualTo(3);
    assertThat(links.score(0, 1)).isEqualTo(100);
    assertThat(links.score(1, 0)).isEqualTo(100);
    assertThat(links.score(0, 2)).isEqualTo(20);
    assertThat(links.score(2, 1)).isEqualTo(10);
  }

  @Test
  void ignoresTheDiagonal() {
    var links = LinkMatrix.of(new int[][] {{-7, 50}, {50, 99}});

    assertThat(links.score(0, 0)).isZero();
    assertThat(links.score(1, 1)).isZero();
    assertThat(links).isEqualTo(LinkMatrix.of(new int[][] {{0, 50}, {50, 0}}));
  }

  @Test
  void copiesItsInput() {
    int[][] rows = {{0, 50}, {50, 0}};
    var links = LinkMatrix.of(rows);
    rows[0][1] = 10;
    rows[1][0] = 10;

    assertThat(links.score(0, 1)).isEqualTo(50);
  }

  @Test
  void emptyMatrixCoversNoDevices() {
    assertThat(LinkMatrix.of(new int[0][]).size()).isZero();
    assertThat(LinkMatrix.uniform(0, 100).size()).isZero();
  }

  @Test
  void uniformLinksEveryPairEqually() {
    var links = LinkMatrix.uniform(4, 100);

    assertThat(links.size()).isEqualTo(4);
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        assertThat(links.score(a, b)).as("score(%d, %d)", a, b).isEqualTo(a == b ? 0 : 100);
      }
    }
  }

  @Test
  void equalScoresMakeEqualMatrices() {
    var a = LinkMatrix.uniform(2, 60);
    var b = LinkMatrix.of(new int[][] {{0, 60}, {60, 0}});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(LinkMatrix.uniform(2, 50));
    assertThat(a).hasToString("[[0, 60], [60, 0]]");
  }

  @Test
  void rejectsNullRows() {
    assertRejected(() -> LinkMatrix.of(null), "links", "null", "links must not be null, was null");
  }

  @Test
  void rejectsANullRow() {
    assertRejected(() -> LinkMatrix.of(new int[][] {{0, 1}, null}),
        "links row 1", "null", "links row 1 must have 2 entries (square matrix), was null");
  }

  @Test
  void rejectsALongRow() {
    assertRejected(() -> LinkMatrix.of(new int[][] {{0, 1, 2}, {1, 0}}),
        "links row 0", "3 entries", "links row 0 must have 2 entries (square matrix), was 3 entries");
  }

  @Test
  void rejectsAShortRow() {
    assertRejected(() -> LinkMatrix.of(new int[][] {{0, 1, 2}, {1, 0, 3}, {2}}),
        "links row 2", "1 entries", "links row 2 must have 3 entries (square matrix), was 1 entries");
  }

  @Test
  void rejectsMoreColumnsThanRows() {
    assertRejected(() -> LinkMatrix.of(new int[][] {{0, 1, 2}, {1, 0, 3}}),
        "links row 0", "3 entries", "links row 0 must have 2 entries (square matrix), was 3 entries");
  }

  @Test
  void rejectsANegativeScore() {
    assertRejected(() -> LinkMatrix.of(new int[][] {{0, -1}, {-1, 0}}),
        "links[0][1]", "-1", "links[0][1] must be at least 0, was -1");
  }

  @Test
  void rejectsAnAsymmetricMatrix() {
    assertRejected(() -> LinkMatrix.of(new int[][] {{0, 3, 0}, {5, 0, 0}, {0, 0, 0}}),
        "links[0][1]", "3", "links[0][1] must equal links[1][0] = 5 (symmetric), was 3");
  }

  @Test
  void rejectsAnAsymmetryFarFromTheFirstRow() {
    assertRejected(() -> LinkMatrix.of(new int[][] {{0, 1, 1}, {1, 0, 40}, {1, 50, 0}}),
        "links[1][2]", "40", "links[1][2] must equal links[2][1] = 50 (symmetric), was 40");
  }

  @Test
  void uniformRejectsANegativeScore() {
    assertRejected(() -> LinkMatrix.uniform(3, -5),
        "links[0][1]", "-5", "links[0][1] must be at least 0, was -5");
  }

  @Test
  void uniformRejectsANegativeSize() {
    // Regression: this used to escape as a NegativeArraySizeException.
    assertRejected(() -> LinkMatrix.uniform(-1, 100),
        "links size", "-1", "links size must be at least 0, was -1");
  }
}
