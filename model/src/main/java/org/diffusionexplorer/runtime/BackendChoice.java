package org.diffusionexplorer.runtime;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Which ND4J backend this process uses, decided before ND4J loads. Pure logic: the GPU probe is
 * passed in, so the decision is testable on a machine without a GPU.
 *
 * <p>How ND4J M2.1 itself picks (read in {@code Nd4jBackend.load()}): every backend named in
 * {@code META-INF/services/org.nd4j.linalg.factory.Nd4jBackend} on the class path is tried in
 * priority order (CUDA 100, CPU 0, changeable only by the environment variables
 * BACKEND_PRIORITY_GPU / BACKEND_PRIORITY_CPU) and the first whose {@code isAvailable()} holds
 * wins. There is no system property that names the backend. The CUDA backend's check prints a
 * stack trace to stderr when it fails and then ND4J goes on to the CPU backend. So the {@code -Pcuda}
 * build carries both backends, and this class decides explicitly: when the answer is the CPU,
 * {@link BackendServices} hides the CUDA backend from ND4J, which then never tries it.
 *
 * <p>The request comes from {@code -Ddiffusion.backend=auto|cpu|cuda} or the environment variable
 * DIFFUSION_BACKEND (the property wins); the default is {@code auto}: the GPU when the build has
 * the CUDA backend and a usable GPU is there, else the CPU.
 */
public final class BackendChoice {
    /** The JVM property and environment variable that ask for a backend. */
    public static final String PROPERTY = "diffusion.backend";
    public static final String ENV = "DIFFUSION_BACKEND";
    /** ND4J's backend classes (only the CPU one is in the default build). */
    public static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";
    public static final String CPU_BACKEND_CLASS = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";

    public enum Request { AUTO, CPU, CUDA }

    public enum Backend { CPU, CUDA }

    /** What the GPU check found: usable, or why not (one short phrase). */
    public record Probe(boolean usable, String reason) {
        public static Probe ok() {
            return new Probe(true, null);
        }

        public static Probe unusable(String reason) {
            return new Probe(false, reason);
        }
    }

    /**
     * The outcome: the backend to use, whether the CUDA backend must be hidden from ND4J, and a
     * one-line notice for the user (null when there is nothing to say).
     */
    public record Decision(Request request, Backend backend, boolean hideCuda, String notice) {}

    private BackendChoice() {}

    /** The request from -Ddiffusion.backend or DIFFUSION_BACKEND; {@code warn} hears about a bad value. */
    public static Request requested(java.util.function.Consumer<String> warn) {
        String p = System.getProperty(PROPERTY);
        String source = "-D" + PROPERTY;
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
            source = ENV;
        }
        try {
            return parse(p);
        } catch (IllegalArgumentException e) {
            warn.accept("warning: ignoring " + source + "='" + p.trim() + "' (expected auto, cpu or cuda); using auto");
            return Request.AUTO;
        }
    }

    /** auto (or nothing), cpu, cuda; "gpu" is taken as cuda. */
    public static Request parse(String value) {
        if (value == null || value.isBlank()) return Request.AUTO;
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> Request.AUTO;
            case "cpu", "native" -> Request.CPU;
            case "cuda", "gpu" -> Request.CUDA;
            default -> throw new IllegalArgumentException(value);
        };
    }

    /** True when ND4J's CUDA backend is on the class path (the -Pcuda build). */
    public static boolean cudaInBuild() {
        return present(CUDA_BACKEND_CLASS);
    }

    static boolean present(String className) {
        try {
            Class.forName(className, false, BackendChoice.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Decides. {@code probe} is asked only when the build has the CUDA backend and the request
     * allows the GPU.
     */
    public static Decision decide(Request request, boolean cudaInBuild, Supplier<Probe> probe) {
        if (request == Request.CPU) return new Decision(request, Backend.CPU, cudaInBuild, null);
        if (!cudaInBuild) {
            String notice = request == Request.CUDA
                    ? "CUDA was requested, but this build has no CUDA backend: using the CPU"
                      + " (the CUDA build is made with ./mvnw -Pcuda package)."
                    : null;
            return new Decision(request, Backend.CPU, false, notice);
        }
        Probe p = probe.get();
        if (p.usable()) return new Decision(request, Backend.CUDA, false, null);
        String why = p.reason() == null || p.reason().isBlank() ? "reason unknown" : p.reason();
        String notice = (request == Request.CUDA ? "CUDA was requested, but no usable GPU was found" : "No usable CUDA GPU")
                + " (" + why + "): using the CPU.";
        return new Decision(request, Backend.CPU, true, notice);
    }
}
