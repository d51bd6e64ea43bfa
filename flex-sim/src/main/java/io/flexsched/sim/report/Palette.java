package io.flexsched.sim.report;

import java.awt.Color;
import java.util.List;

/**
 * The colours of the policies' series, the same in the HTML report and the PNG (Tableau 10, which
 * stays distinguishable for the common forms of colour blindness).
 */
final class Palette {
  private static final List<String> COLOURS = List.of(
      "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
      "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");

  private Palette() {}

  /** The colour of the {@code i}-th series, as {@code #rrggbb}. */
  static String hex(int i) {
    return COLOURS.get(Math.floorMod(i, COLOURS.size()));
  }

  /** The colour of the {@code i}-th series. */
  static Color colour(int i) {
    return Color.decode(hex(i));
  }
}
