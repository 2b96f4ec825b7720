import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares detection of two builds in one JVM: each build's evident-core classes get a class
 * loader of their own, and passes over the same requests alternate between them, so the VM's
 * hour-to-hour speed (±20% on the project's machine) falls on both alike. Arguments: the two
 * builds' evident-core class folders, then the class path both share (evident-cli's classes for
 * the traffic generator, and the dependencies).
 */
public final class DetectAB {
  private static final int WARM_PASSES = 6;

  public static void main(String[] args) throws Exception {
    int passes = Integer.getInteger("passes", 24);
    Method[] pass = new Method[2];
    for (int k = 0; k < 2; k++) {
      List<URL> urls = new ArrayList<>();
      urls.add(Path.of(System.getProperty("runner")).toUri().toURL());
      urls.add(Path.of(args[k]).toUri().toURL());
      for (String c : args[2].split(":")) {
        urls.add(Path.of(c).toUri().toURL());
      }
      ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]),
          ClassLoader.getPlatformClassLoader());
      Class<?> runner = loader.loadClass("DetectABRunner");
      // each build with its own rule files (a build may read targets the other does not know)
      System.setProperty("rules", System.getProperty(k == 0 ? "rules.old" : "rules.new",
          "rules"));
      runner.getMethod("init").invoke(null);
      pass[k] = runner.getMethod("pass");
    }
    double[] sum = new double[2];
    int counted = 0;
    for (int p = 0; p < passes; p++) {
      int first = p % 2; // each build goes first in every other pass
      double[] ns = new double[2];
      ns[first] = (double) pass[first].invoke(null);
      ns[1 - first] = (double) pass[1 - first].invoke(null);
      if (p >= WARM_PASSES) {
        sum[0] += ns[0];
        sum[1] += ns[1];
        counted++;
      }
      System.out.printf("pass %2d  old %6.0f ns  new %6.0f ns%n", p, ns[0], ns[1]);
    }
    double old = sum[0] / counted;
    double now = sum[1] / counted;
    System.out.printf("mean of passes %d-%d: old %.0f ns, new %.0f ns a request (%+.1f%%)%n",
        WARM_PASSES, passes - 1, old, now, 100 * (now - old) / old);
  }
}
