package org.diffusionexplorer.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.ArrayList;
import java.util.List;

/**
 * Process settings that libnd4j's speed depends on and that must be made before it loads, set
 * from Java through the C library (JNA is on the class path with ND4J). Each one is skipped where
 * the user's environment already says otherwise, and off Linux/glibc altogether.
 *
 * <ul>
 *   <li><b>OMP_WAIT_POLICY=PASSIVE.</b> libgomp reads it once, in its constructor, when JavaCPP
 *       loads libnd4j, so {@code setenv} before the first ND4J call is in time. Idle OpenMP workers
 *       then sleep instead of spinning, so a second thread no longer costs a busy core the window
 *       or another process needs (measured numbers: README, "Speed").</li>
 *   <li><b>malloc keeps freed memory.</b> Every SameDiff op writes into a freshly allocated
 *       buffer (Nd4jCpu.allocateDataBuffer; a quarter of a training step in the profile). glibc
 *       hands large blocks back to the kernel (munmap, or trimming the heap top), so the next
 *       step's buffers arrive as new pages the kernel must fault in and zero. With the mmap
 *       threshold at its 32 MiB maximum and trimming off, freed buffers are reused from the heap
 *       instead. The resident size stays at the step's peak, which it reached anyway.</li>
 * </ul>
 */
public final class NativeTuning {
    // glibc's mallopt parameters (malloc.h)
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int MMAP_THRESHOLD_MAX = 32 << 20;

    private NativeTuning() {}

    /** What libc offers here. */
    public interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        int mallopt(int param, int value);
    }

    /** Applies the settings; returns one phrase per setting made, for {@link NativeRuntime#describe()}. */
    static List<String> apply() {
        List<String> done = new ArrayList<>();
        if (!Platform.isLinux() || Boolean.getBoolean("diffusion.noNativeTuning")) return done;
        try {
            LibC c = Native.loadLibrary("c", LibC.class);
            apply(c, done);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // no such libc function (not glibc): ND4J runs with its defaults
        }
        return done;
    }

    private static void apply(LibC c, List<String> done) {
        if (System.getenv("OMP_WAIT_POLICY") == null && c.setenv("OMP_WAIT_POLICY", "PASSIVE", 0) == 0) {
            done.add("omp-wait=passive");
        }
        if (System.getenv("MALLOC_TRIM_THRESHOLD_") == null && System.getenv("MALLOC_MMAP_THRESHOLD_") == null
                && c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX) == 1
                && c.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1) {
            done.add("malloc-keep");
        }
    }
}
