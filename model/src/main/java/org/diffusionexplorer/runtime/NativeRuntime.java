package org.diffusionexplorer.runtime;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The one place where ND4J's native runtime is set up. The CLI and the app call {@link #configure()}
 * before any other ND4J use.
 *
 * <p><b>Threads.</b> ND4J runs three thread pools: libnd4j's own pool, OpenMP (libgomp, used by
 * libnd4j loops and by oneDNN) and OpenBLAS's pthreads. By default each takes every core. On a
 * 2-core machine a training step made of thousands of small ops then spends its time in
 * fork/join barriers: every parallel region waits for a worker thread that the OS has given to
 * another process (or that is busy-spinning for the previous region), so a step was 4-6x slower
 * than with one thread as soon as anything else ran. The forward pass suffers less: it is fewer,
 * larger ops (mostly oneDNN convolutions) where the parallel work outweighs the barrier.
 * So every pool is set to {@link #threads()} threads at start-up, from Java:
 * <ul>
 *   <li>OpenMP: NativeOps.setOmpNumThreads (omp_set_num_threads; oneDNN follows it);</li>
 *   <li>libnd4j's pool: Environment.setMaxMasterThreads (threads one op may use; setMaxThreads is a
 *       no-op in M2.1, the pool size is fixed when the library loads);</li>
 *   <li>OpenBLAS: blas_set_num_threads via Nd4j.factory().blas().</li>
 * </ul>
 * OpenMP's wait policy is read once by libgomp, in its constructor, when JavaCPP loads libnd4j:
 * {@link NativeTuning} sets OMP_WAIT_POLICY=PASSIVE in the process environment (a native setenv)
 * before that, so idle workers sleep instead of spinning and a second thread no longer steals the
 * core the window or another process needs.
 *
 * <p>Default: every logical processor. Override with {@code -Ddiffusion.threads=N} or the
 * environment variable DIFFUSION_THREADS.
 *
 * <p><b>Backend.</b> CPU or CUDA is decided first, before ND4J loads: {@link BackendChoice}
 * ({@code -Ddiffusion.backend} / DIFFUSION_BACKEND); {@link BackendReport} describes the result.
 *
 * <p><b>Logging.</b> No ND4J start-up banner; slf4j-nop swallows ND4J's SLF4J logging; the
 * "Added differentiated op ..." line SameDiff prints per op while building gradients is filtered
 * by {@link #quietly}.
 */
public final class NativeRuntime {
    /** The JVM property and environment variable that set the thread count (the property wins). */
    public static final String THREADS_PROPERTY = "diffusion.threads", THREADS_ENV = "DIFFUSION_THREADS";
    private static volatile boolean configured;
    private static int threads;
    private static BackendChoice.Decision backend;
    private static java.util.List<String> tuning = java.util.List.of();

    private NativeRuntime() {}

    public static synchronized void configure() {
        if (configured) return;
        // Read by ND4J classes when they initialise: set before the first Nd4j call below.
        setDefault("org.nd4j.log.initialization", "false");
        tuning = NativeTuning.apply(); // before libnd4j (and libgomp) load
        backend = chooseBackend();
        threads = chooseThreads();
        applyThreads(threads);
        configured = true;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    /**
     * Decides CPU or CUDA before ND4J loads (see {@link BackendChoice}); when the answer is the CPU
     * in a build that also has the CUDA backend, ND4J is made not to see the CUDA one. A notice
     * (e.g. CUDA requested but no usable GPU) goes to stderr as one line and stays readable through
     * {@link #backendDecision()}.
     */
    private static BackendChoice.Decision chooseBackend() {
        BackendChoice.Request request = BackendChoice.requested(System.err::println);
        BackendChoice.Decision d = BackendChoice.decide(request, BackendChoice.cudaInBuild(), CudaProbe::probe);
        if (d.hideCuda()) {
            ClassLoader base = org.nd4j.common.config.ND4JClassLoading.getNd4jClassloader();
            if (base == null) base = NativeRuntime.class.getClassLoader();
            org.nd4j.common.config.ND4JClassLoading.setNd4jClassloader(
                    new BackendServices(base, java.util.Set.of(BackendChoice.CUDA_BACKEND_CLASS)));
        }
        if (d.notice() != null) System.err.println(d.notice());
        return d;
    }

    /** What was asked for and chosen (after {@link #configure()}; null before). */
    public static BackendChoice.Decision backendDecision() {
        return backend;
    }

    static int chooseThreads() {
        String p = System.getProperty(THREADS_PROPERTY);
        if (p == null) p = System.getenv(THREADS_ENV);
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException e) {
                // fall through to the default
            }
            System.err.println("warning: ignoring thread count '" + p + "' (expected a positive integer)");
        }
        return defaultThreads();
    }

    /** The automatic thread count: every logical processor (idle OpenMP workers sleep, see {@link NativeTuning}). */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Threads each native pool uses (after {@link #configure()}). */
    public static int threads() {
        return threads;
    }

    /** Sets OpenMP (libnd4j and oneDNN), libnd4j's per-op thread count and OpenBLAS to n threads. */
    public static void applyThreads(int n) {
        // Nd4j first: it loads the backend and the properties NativeOpsHolder's initialisation needs.
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    /** One line describing the native threading state, for logs and the bench. */
    public static String describe() {
        return "omp=" + NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()
                + " nd4j-pool=" + Nd4j.getEnvironment().maxThreads()
                + " nd4j-per-op=" + Nd4j.getEnvironment().maxMasterThreads()
                + " openblas=" + Nd4j.factory().blas().getMaxThreads()
                + " cpus=" + Runtime.getRuntime().availableProcessors()
                + (tuning.isEmpty() ? "" : " " + String.join(" ", tuning));
    }

    /**
     * Runs {@code r} while stdout drops the lines SameDiff prints unconditionally for every op it
     * differentiates ("Added differentiated op ..."); every other line passes through.
     */
    public static void quietly(Runnable r) {
        synchronized (NativeRuntime.class) {
            PrintStream original = System.out;
            PrintStream filtered = new PrintStream(new LineFilter(original), true, StandardCharsets.UTF_8);
            System.setOut(filtered);
            try {
                r.run();
            } finally {
                filtered.flush();
                System.setOut(original);
            }
        }
    }

    private static final class LineFilter extends OutputStream {
        private final PrintStream target;
        private final StringBuilder line = new StringBuilder();

        LineFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            line.append((char) (b & 0xff));
            if (b == '\n') emit();
        }

        @Override
        public void flush() {
            if (line.length() > 0) emit();
            target.flush();
        }

        private void emit() {
            String s = line.toString();
            line.setLength(0);
            if (!s.startsWith("Added differentiated op")) {
                target.write(s.getBytes(StandardCharsets.ISO_8859_1), 0, s.length());
            }
        }
    }
}
