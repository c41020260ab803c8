package org.diffusionexplorer.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What the numeric backend runs on, for the CLI's {@code info} and the app's status bar: ND4J's
 * backend (CPU or CUDA), the device (the CPU's model name, or the GPU's name, compute capability
 * and memory), threads, the native variant (oneDNN, AVX level) and any fallback notice.
 *
 * <p>Read from ND4J's {@code getEnvironmentInformation()} (keys of {@code Nd4jEnvironment}:
 * "backend", "cores", "blas.vendor", and for CUDA "cuda.availableDevices" and
 * "cuda.devicesInformation", a list of maps with "cuda.deviceName", "cuda.totalMemory",
 * "cuda.freeMemory", "cuda.deviceMajor", "cuda.deviceMinor"), from JavaCPP's list of loaded
 * libraries (the folder of libnd4jcpu names the variant, e.g. linux-x86_64-onednn-avx2), from
 * libnd4j's build info (HAVE_ONEDNN) and from /proc.
 */
public record BackendReport(
        String backend,
        String device,
        String memory,
        int cores,
        int threads,
        String natives,
        boolean oneDnn,
        boolean cudaInBuild,
        BackendChoice.Request requested,
        String notice) {

    /** Loads ND4J if needed (slow the first time) and describes it. */
    public static BackendReport current() {
        NativeRuntime.configure();
        Properties env = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
        String build = "";
        try {
            build = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        } catch (Throwable e) {
            // build info is a nicety; a backend without it still works
        }
        Map<String, String> libs = Map.of();
        try {
            libs = org.bytedeco.javacpp.Loader.getLoadedLibraries();
        } catch (Throwable e) {
            // the same
        }
        BackendChoice.Decision d = NativeRuntime.backendDecision();
        String notice = d == null ? null : d.notice();
        boolean cudaLoaded = "CUDA".equalsIgnoreCase(String.valueOf(env.get("backend")));
        if (d != null && d.backend() == BackendChoice.Backend.CUDA && !cudaLoaded) {
            notice = "The GPU looked usable, but ND4J's CUDA backend did not start: using the CPU.";
        }
        return from(env, build, libs, cpuModel(), physicalMemory(), NativeRuntime.threads(),
                BackendChoice.cudaInBuild(), d == null ? BackendChoice.Request.AUTO : d.request(), notice);
    }

    /** The report from ND4J's environment properties and the host facts; no native calls. */
    static BackendReport from(Properties env, String buildInfo, Map<String, String> loadedLibraries, String cpuModel,
                              long physicalMemory, int threads, boolean cudaInBuild, BackendChoice.Request requested,
                              String notice) {
        int cores = env.get("cores") instanceof Number n ? n.intValue() : Runtime.getRuntime().availableProcessors();
        boolean oneDnn = buildInfo != null && buildInfo.contains("HAVE_ONEDNN");
        String blas = env.get("blas.vendor") == null ? null : env.get("blas.vendor").toString();
        if ("CUDA".equalsIgnoreCase(String.valueOf(env.get("backend")))) {
            List<?> devices = env.get("cuda.devicesInformation") instanceof List<?> l ? l : List.of();
            String device = "no CUDA device listed";
            String memory = "unknown";
            if (!devices.isEmpty() && devices.get(0) instanceof Map<?, ?> g) {
                device = g.get("cuda.deviceName") + " (compute capability " + g.get("cuda.deviceMajor") + "." + g.get("cuda.deviceMinor") + ")";
                memory = gb(g.get("cuda.totalMemory")) + " GPU memory, " + gb(g.get("cuda.freeMemory")) + " free";
            }
            if (devices.size() > 1) device += ", and " + (devices.size() - 1) + " more GPU" + (devices.size() > 2 ? "s" : "");
            return new BackendReport("CUDA", device, memory, cores, threads,
                    "CUDA 11.6" + (blas == null ? "" : ", " + blas), false, cudaInBuild, requested, notice);
        }
        String variant = nativeVariant(loadedLibraries);
        String natives = (variant == null ? "unknown" : variant) + (blas == null ? "" : ", " + blas);
        return new BackendReport("CPU", cpuModel, physicalMemory > 0 ? gb(physicalMemory) + " RAM" : "unknown",
                cores, threads, natives, oneDnn, cudaInBuild, requested, notice);
    }

    /** The status bar's line: "ND4J CPU on AMD EPYC 7B13 (2 cores), 1 thread, oneDNN, avx2". */
    public String summary() {
        if (isCuda()) return "ND4J CUDA on " + device + ", " + memory;
        String level = avxLevel(natives);
        return "ND4J CPU on " + device + " (" + cores + " core" + (cores == 1 ? "" : "s") + "), "
                + threads + " thread" + (threads == 1 ? "" : "s")
                + (oneDnn ? ", oneDNN" : "") + (level == null ? "" : ", " + level);
    }

    public boolean isCuda() {
        return "CUDA".equals(backend);
    }

    /** The CLI's {@code info} block, one fact a line. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("backend     ND4J " + backend + " (asked for " + requested.name().toLowerCase(Locale.ROOT)
                + "; -D" + BackendChoice.PROPERTY + " or " + BackendChoice.ENV + "=auto|cpu|cuda)");
        out.add("device      " + device);
        out.add("memory      " + memory);
        if (isCuda()) {
            out.add("host        " + cores + " logical cores");
        } else {
            out.add("threads     " + threads + " of " + cores + " logical cores (-Ddiffusion.threads or DIFFUSION_THREADS)");
            out.add("natives     " + natives + (oneDnn ? ", oneDNN" : ", no oneDNN"));
        }
        out.add("build       " + (cudaInBuild ? "CPU and CUDA 11.6 backends (-Pcuda)"
                : "CPU backend only (./mvnw -Pcuda package builds the CUDA one)"));
        if (notice != null) out.add("notice      " + notice);
        return out;
    }

    /** The folder libnd4jcpu was loaded from names the variant: "linux-x86_64-onednn-avx2". */
    static String nativeVariant(Map<String, String> loadedLibraries) {
        String path = loadedLibraries.get("nd4jcpu");
        if (path == null) path = loadedLibraries.get("jnind4jcpu");
        if (path == null) return null;
        Path parent = Path.of(path).getParent();
        return parent == null || parent.getFileName() == null ? null : parent.getFileName().toString();
    }

    /** "avx2" / "avx512" from the variant, null when the natives are the generic x86-64 ones. */
    static String avxLevel(String natives) {
        if (natives == null) return null;
        if (natives.contains("avx512")) return "AVX-512";
        if (natives.contains("avx2")) return "AVX2";
        return null;
    }

    /** The CPU's model name from /proc/cpuinfo (Linux), else the architecture. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    int colon = line.indexOf(':');
                    if (colon > 0) return line.substring(colon + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        String id = System.getenv("PROCESSOR_IDENTIFIER"); // Windows
        return id != null && !id.isBlank() ? id.strip() : System.getProperty("os.arch");
    }

    /** Total physical memory in bytes, 0 when unknown. */
    static long physicalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        try {
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (Throwable e) {
            // jdk.management missing from a trimmed runtime
        }
        return 0;
    }

    private static String gb(Object bytes) {
        if (!(bytes instanceof Number n)) return "?";
        return String.format(Locale.ROOT, "%.1f GB", n.doubleValue() / (1L << 30));
    }
}
