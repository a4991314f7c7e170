package org.streamcast.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium} package) loading a page as a browser would, with its JavaScript run
 * for a virtual-time budget: a PNG screenshot and the DOM after the scripts ran. Each call is one browser process
 * with its own profile directory.
 */
public final class Chromium {
  private static final long TIMEOUT_SECONDS = 60;

  private final Path binary;
  private final Path workDir;

  private Chromium(Path binary, Path workDir) {
    this.binary = binary;
    this.workDir = workDir;
  }

  /** The installed browser (fails under CI, skips elsewhere when missing); profiles go under {@code workDir}. */
  public static Chromium installed(Path workDir) {
    return new Chromium(ExternalTools.require("chromium", "chromium", "chromium-browser"), workDir);
  }

  /**
   * Loads {@code url} in a {@code width}×{@code height} window, lets its scripts run for {@code budgetMillis} of
   * virtual time, writes a screenshot to {@code png} and returns the serialized DOM at that moment.
   */
  public String load(String url, Path png, int width, int height, int budgetMillis)
      throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.deleteIfExists(png);
    String dom = run(List.of("--virtual-time-budget=" + budgetMillis, "--hide-scrollbars",
        "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), "--dump-dom", url));
    if (!Files.isRegularFile(png)) {
      throw new AssertionError("chromium wrote no screenshot to " + png);
    }
    return dom;
  }

  private String run(List<String> args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile");
    Path err = workDir.resolve("chromium.log");
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exited with " + p.exitValue() + ": "
          + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
