package io.flexsched.model;

import java.util.Arrays;

/**
 * Pairwise link scores between the devices of one node; higher is closer (e.g. NVLink above a
 * PCIe switch above a host bridge above a cross-socket hop). Square and symmetric; the diagonal
 * is ignored.
 */
public final class LinkMatrix {
  private final int[][] scores;

  private LinkMatrix(int[][] scores) {
    this.scores = scores;
  }

  /** A matrix from rows of scores, copied and validated. */
  public static LinkMatrix of(int[][] rows) {
    if (rows == null) {
      throw new InvalidSpecException("links", "null", "must not be null");
    }
    int n = rows.length;
    int[][] copy = new int[n][];
    for (int i = 0; i < n; i++) {
      if (rows[i] == null || rows[i].length != n) {
        throw new InvalidSpecException(
            "links row " + i, rows[i] == null ? "null" : rows[i].length + " entries", "must have " + n + " entries (square matrix)");
      }
      copy[i] = rows[i].clone();
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j && copy[i][j] < 0) {
          throw new InvalidSpecException("links[" + i + "][" + j + "]", copy[i][j], "must be at least 0");
        }
        if (i != j && copy[i][j] != copy[j][i]) {
          throw new InvalidSpecException(
              "links[" + i + "][" + j + "]", copy[i][j], "must equal links[" + j + "][" + i + "] = " + copy[j][i] + " (symmetric)");
        }
      }
      copy[i][i] = 0;
    }
    return new LinkMatrix(copy);
  }

  /** A matrix where every pair of {@code n} devices has the same score (an NVSwitch system). */
  public static LinkMatrix uniform(int n, int score) {
    Checks.atLeast("links size", n, 0);
    int[][] rows = new int[n][n];
    for (int[] row : rows) {
      Arrays.fill(row, score);
    }
    return of(rows);
  }

  /** The number of devices it covers. */
  public int size() {
    return scores.length;
  }

  /** The link score between devices {@code a} and {@code b}. */
  public int score(int a, int b) {
    return scores[a][b];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinkMatrix other && Arrays.deepEquals(scores, other.scores);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(scores);
  }

  @Override
  public String toString() {
    return Arrays.deepToString(scores);
  }
}
