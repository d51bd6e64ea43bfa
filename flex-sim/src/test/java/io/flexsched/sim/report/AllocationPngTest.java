package io.flexsched.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.InvalidSpecException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllocationPngTest {
  @TempDir Path dir;

  @Test
  void writesAPngOfTheChosenSizeWithEveryPolicysColour() throws IOException {
    Path file = AllocationPng.write(SyntheticReports.report("built-in", "bestfit", "fgd", "random"), dir);
    assertThat(file).isEqualTo(dir.resolve("allocation.png")).isRegularFile();
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("decodes as an image").isNotNull();
    assertThat(image.getWidth()).isEqualTo(AllocationPng.WIDTH);
    assertThat(image.getHeight()).isEqualTo(AllocationPng.HEIGHT);
    for (int i = 0; i < 3; i++) {
      assertThat(Pixels.near(image, Palette.colour(i), 24)).as("pixels of series %d's colour", i).isGreaterThan(200);
    }
    assertThat(Pixels.near(image, Color.WHITE, 0)).as("a white background").isGreaterThan(image.getWidth() * image.getHeight() / 2);
  }

  @Test
  void replacesAnEarlierFileAndRejectsAMissingDirectory() throws IOException {
    Files.writeString(dir.resolve("allocation.png"), "old");
    AllocationPng.write(SyntheticReports.report("w", "fgd"), dir);
    assertThat(ImageIO.read(dir.resolve("allocation.png").toFile())).isNotNull();
    assertThatThrownBy(() -> AllocationPng.write(SyntheticReports.report("w", "fgd"), dir.resolve("missing")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("--png must be an existing directory, was ");
  }

  @Test
  void drawsWithoutADisplay() {
    BufferedImage image = AllocationPng.image(SyntheticReports.report("w", "fgd"));
    assertThat(System.getProperty("java.awt.headless")).isEqualTo("true");
    assertThat(image.getWidth()).isEqualTo(AllocationPng.WIDTH);
    assertThat(Pixels.distinctColours(image)).isGreaterThan(10);
  }
}
