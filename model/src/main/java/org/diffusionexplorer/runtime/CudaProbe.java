package org.diffusionexplorer.runtime;

import java.lang.reflect.Method;
import org.diffusionexplorer.io.Failures;

/**
 * Asks the CUDA runtime, before ND4J loads, whether its CUDA backend could run here: the CUDA
 * libraries load, the driver is new enough, there is a device, cuBLAS loads (the same checks as
 * ND4J's {@code JCublasBackend.canRun()}) and the first device's compute capability is one the
 * backend has kernels for. Only meaningful in the {@code -Pcuda} build; the JavaCPP CUDA classes are
 * reached by reflection so that this compiles and runs in the CPU build too.
 */
public final class CudaProbe {
    /**
     * The GPU architectures ND4J 1.0.0-M2.1's nd4j-cuda-11.6 (linux-x86_64) has compiled kernels for,
     * read from the fat binary inside its libnd4jcuda.so (one SASS image per architecture, no PTX,
     * so no newer architecture can compile them at load time): sm_37, 50, 52, 60, 61, 70, 75, 80, 86.
     */
    static final int[] KERNEL_ARCHS = {37, 50, 52, 60, 61, 70, 75, 80, 86};

    private static final int CUDA_ERROR_INSUFFICIENT_DRIVER = 35;
    private static final int CUDA_ERROR_NO_DEVICE = 100;

    private CudaProbe() {}

    /**
     * True when a device of this compute capability can run kernels built for {@link #KERNEL_ARCHS}:
     * a kernel for X.y runs on X.z with z at least y (NVIDIA's binary compatibility rule).
     */
    static boolean kernelsRunOn(int major, int minor) {
        for (int a : KERNEL_ARCHS) {
            if (a / 10 == major && a % 10 <= minor) return true;
        }
        return false;
    }

    /** The probe; never throws. */
    public static BackendChoice.Probe probe() {
        try {
            Class<?> cudart = Class.forName("org.bytedeco.cuda.global.cudart"); // loads libcudart
            int[] n = {0};
            int err = (int) cudart.getMethod("cudaGetDeviceCount", int[].class).invoke(null, (Object) n);
            if (err == CUDA_ERROR_INSUFFICIENT_DRIVER) {
                return BackendChoice.Probe.unusable("the NVIDIA driver is older than CUDA 11.6 needs");
            }
            if (err == CUDA_ERROR_NO_DEVICE) return BackendChoice.Probe.unusable("no CUDA device");
            if (err != 0) return BackendChoice.Probe.unusable("CUDA error " + err + ": " + errorString(cudart, err));
            if (n[0] <= 0) return BackendChoice.Probe.unusable("no CUDA device");
            String arch = checkArchitecture(cudart);
            if (arch != null) return BackendChoice.Probe.unusable(arch);
            Class.forName("org.bytedeco.cuda.global.cublas"); // loads cuBLAS, as ND4J's check does
            return BackendChoice.Probe.ok();
        } catch (Throwable t) {
            return BackendChoice.Probe.unusable(reason(t));
        }
    }

    /** Null when device 0's compute capability is covered, else why not. */
    private static String checkArchitecture(Class<?> cudart) throws ReflectiveOperationException {
        Class<?> propClass = Class.forName("org.bytedeco.cuda.cudart.cudaDeviceProp");
        Object prop = propClass.getConstructor().newInstance();
        Method get = cudart.getMethod("cudaGetDeviceProperties", propClass, int.class);
        if ((int) get.invoke(null, prop, 0) != 0) return null; // let ND4J's own check decide
        int major = (int) propClass.getMethod("major").invoke(prop);
        int minor = (int) propClass.getMethod("minor").invoke(prop);
        if (kernelsRunOn(major, minor)) return null;
        Object name = propClass.getMethod("name").invoke(prop);
        String gpu = name == null ? "GPU 0" : (String) name.getClass().getMethod("getString").invoke(name);
        return gpu + " has compute capability " + major + "." + minor
                + ", ND4J's CUDA 11.6 build has kernels for 3.7 to 8.6 only";
    }

    private static String errorString(Class<?> cudart, int err) {
        try {
            Object p = cudart.getMethod("cudaGetErrorString", int.class).invoke(null, err);
            return p == null ? "unknown" : (String) p.getClass().getMethod("getString").invoke(p);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The innermost cause's first line, short: "libcudart.so.11.0: cannot open shared object file ...". */
    static String reason(Throwable t) {
        String m = Failures.reason(Failures.innermost(t)).strip();
        m = m.lines().findFirst().orElse(m);
        // "/home/u/.javacpp/cache/.../libjnicudart.so: libcuda.so.1: cannot open ..." -> from "libcuda.so.1"
        if (m.startsWith("/") && m.indexOf(": ") > 0) m = m.substring(m.indexOf(": ") + 2);
        return m.length() > 160 ? m.substring(0, 157) + "..." : m;
    }
}
