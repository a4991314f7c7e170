package org.streamcast.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Third-party programs the tests drive as a user would (Debian packages that {@code .ci/run} installs). A missing
 * one fails the test where the variable {@code CI} is set and skips it elsewhere, naming the package to install.
 */
public final class ExternalTools {
  private ExternalTools() {}

  /** The first of {@code names} on the PATH; fails or skips (see above) naming {@code debianPackage}. */
  public static Path require(String debianPackage, String... names) {
    for (String name : names) {
      Path p = onPath(name);
      if (p != null) {
        return p;
      }
    }
    String what = String.join(" or ", names) + " is not on the PATH";
    String ci = System.getenv("CI");
    if (ci != null && !ci.isEmpty()) {
      fail(what + ", but CI is set: install Debian's " + debianPackage + " package (.ci/run does)");
    }
    Assumptions.abort(what + " (apt-get install " + debianPackage + "); skipped outside CI");
    throw new AssertionError("unreachable");
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
