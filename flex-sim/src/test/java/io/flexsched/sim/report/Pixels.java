package io.flexsched.sim.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.HashSet;

/** Counts in a rendered image, to check that a chart was drawn rather than a blank page. */
final class Pixels {
  private Pixels() {}

  /** How many pixels are within {@code tolerance} of {@code colour} on each channel. */
  static int near(BufferedImage image, Color colour, int tolerance) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        if (Math.abs(((rgb >> 16) & 0xff) - colour.getRed()) <= tolerance
            && Math.abs(((rgb >> 8) & 0xff) - colour.getGreen()) <= tolerance
            && Math.abs((rgb & 0xff) - colour.getBlue()) <= tolerance) {
          n++;
        }
      }
    }
    return n;
  }

  /** How many different colours the image has. */
  static int distinctColours(BufferedImage image) {
    var seen = new HashSet<Integer>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        seen.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    return seen.size();
  }
}
