package org.diffusionexplorer.runtime;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The one place where ND4J's native runtime is set up. Call {@link #configure()} before any other
 * ND4J use (the CLI and the app do it first thing).
 */
public final class NativeRuntime {
    private static volatile boolean configured;
    private static int threads;

    private NativeRuntime() {}

    /** Threads given to ND4J's native code. The property diffusion.threads overrides the default. */
    public static synchronized void configure() {
        if (configured) return;
        // Before ND4J's first class init: no banner of backend / memory / thread info on stdout.
        System.setProperty("org.nd4j.log.initialization", System.getProperty("org.nd4j.log.initialization", "false"));
        threads = Integer.getInteger("diffusion.threads", 1);
        applyThreads(threads);
        configured = true;
    }

    public static int threads() {
        return threads;
    }

    /** Sets libnd4j's own pool, OpenMP (libnd4j and oneDNN) and OpenBLAS to n threads. */
    public static void applyThreads(int n) {
        String mode = System.getProperty("diffusion.threadmode", "all");
        if (mode.contains("all") || mode.contains("env")) {
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.getEnvironment().setMaxMasterThreads(n);
        }
        if (mode.contains("all") || mode.contains("omp")) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        }
        if (mode.contains("all") || mode.contains("blas")) {
            Nd4j.factory().blas().setMaxThreads(n);
        }
    }

    /** A one-line description of the native threading state, for logs and the bench. */
    public static String describe() {
        return "nd4j maxThreads=" + Nd4j.getEnvironment().maxThreads()
                + " masterThreads=" + Nd4j.getEnvironment().maxMasterThreads()
                + " omp=" + NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()
                + " blas=" + Nd4j.factory().blas().getMaxThreads();
    }

    /**
     * Runs {@code r} while stdout drops the lines SameDiff prints unconditionally for every op it
     * differentiates ("Added differentiated op ..."); every other line passes through.
     */
    public static void quietly(Runnable r) {
        PrintStream original = System.out;
        PrintStream filtered = new PrintStream(new LineFilter(original), true, StandardCharsets.UTF_8);
        synchronized (NativeRuntime.class) {
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
