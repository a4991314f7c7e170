package org.streamcast.model;

import java.util.Optional;

/**
 * The numeric kernel of the serving step: the matrix products ({@link Gemv}) and the gate activations. Two kernels,
 * chosen once per JVM ({@link #active()}):
 * <ul>
 *   <li>{@code vector}: {@code VectorKernel}, written with the JDK's Vector API. Its matrix product keeps a block of
 *       gate accumulators in SIMD registers for the whole pass over the inputs and reads the weights once, in the
 *       order they are stored; its activations evaluate the {@link Activations} formulas a vector at a time. It needs
 *       the incubator module: start the JVM with {@code --add-modules jdk.incubator.vector} (the {@code streamcast}
 *       launcher, the Docker image and the build do). It is used when the module is there, C2 compiles the hot code
 *       and the preferred float vector holds 8 to {@value Gemv#PAD} lanes (AVX2 or AVX-512 on x86).
 *   <li>{@code scalar}: plain loops ({@link Kernels}, {@link Activations}) that C2 may auto-vectorize; everywhere.
 * </ul>
 * The activations give the same bits in both. The matrix products add in different orders, so the kernels differ by
 * float rounding; {@code KernelTest} bounds that difference over long sequences and {@code FaithfulnessTest} holds
 * the active kernel within 1e-5 of DL4J's own step over a thousand steps of every cell.
 */
interface Kernel {

  /** The matrix {@code [rows][cols]} stored row-major in {@code rowMajor} from {@code offset} (copied). */
  Gemv matrix(float[] rowMajor, int offset, int rows, int cols);

  /** {@code a[off .. off+n) = sigmoid(a[off .. off+n))} as {@link Activations#sigmoid}. */
  void sigmoidInPlace(float[] a, int off, int n);

  /** {@code a[off .. off+n) = tanh(a[off .. off+n))} as {@link Activations#tanh}. */
  void tanhInPlace(float[] a, int off, int n);

  /**
   * The LSTM's element-wise step: {@code z} holds the pre-activations of the gates {@code [i | f | g | o]}
   * ({@code 4·h}); sets {@code c' = σ(f)⊙c + σ(i)⊙tanh(g)} and {@code h' = σ(o)⊙tanh(c')} in
   * {@code state[sOff ..]} ({@code h}, then {@code c}). May overwrite {@code z} and the workspace's vectors.
   */
  void lstmUpdate(float[] z, float[] state, int sOff, int h, Workspace ws);

  /**
   * The GRU's element-wise step: {@code z} holds {@code x·Wx + b} and {@code zh} holds {@code h·Wh} for the gates
   * {@code [r | u | c]}; sets {@code h' = u⊙h + (1−u)⊙c} in {@code state[sOff ..]} with {@code r = σ(z_r + zh_r)},
   * {@code u = σ(z_u + zh_u)}, {@code c = tanh(z_c + r⊙zh_c)}. May overwrite {@code z}, {@code zh} and the
   * workspace's vectors.
   */
  void gruUpdate(float[] z, float[] zh, float[] state, int sOff, int h, Workspace ws);

  /** {@code vector (N floats)} or {@code scalar}; null if this kernel cannot run well on this machine. */
  String name();

  /** The kernel of this JVM: the vector one when it can run fast here, else the scalar one. */
  static Kernel active() {
    return Holder.ACTIVE;
  }

  /** The scalar kernel, available everywhere. */
  static Kernel scalar() {
    return Holder.SCALAR;
  }

  /** The vector kernel if this JVM has the Vector API and SIMD of a width it suits. */
  static Optional<Kernel> vector() {
    return Optional.ofNullable(Holder.VECTOR);
  }

  /** Loads the kernels once. */
  final class Holder {
    private static final String VECTOR_CLASS = "org.streamcast.model.VectorKernel";
    static final Kernel SCALAR = new ScalarKernel();
    static final Kernel VECTOR = loadVector();
    static final Kernel ACTIVE = VECTOR != null ? VECTOR : SCALAR;

    private Holder() {}

    /**
     * Whether HotSpot's C2 compiles this JVM's hot code: only C2 turns Vector API calls into SIMD instructions, and
     * without it (C1 only, {@code -XX:TieredStopAtLevel} below 4, or {@code -Xint}) every vector is an object.
     */
    static boolean hasC2() {
      if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
        return false;
      }
      try {
        com.sun.management.HotSpotDiagnosticMXBean vm =
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return vm == null || Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4;
      } catch (RuntimeException e) {
        return true;
      }
    }

    private static Kernel loadVector() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() || !hasC2()) {
        return null;
      }
      try {
        Kernel k = (Kernel) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        return k.name() == null ? null : k;
      } catch (ReflectiveOperationException | LinkageError e) {
        return null;
      }
    }
  }
}
