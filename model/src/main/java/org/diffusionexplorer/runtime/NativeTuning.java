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
 * </ul>
 * Tried and dropped: glibc's mallopt (mmap threshold at its maximum, no trimming) so that freed op
 * buffers are reused instead of faulted in anew: 16 digits x 10 DDIM steps took 4201 / 3591 ms with
 * it and 4260 / 3632 ms without (same run, alternated), no gain worth keeping; execution plans
 * ({@link org.diffusionexplorer.exec.ExecutionPlan}) then removed the per-op allocation itself.
 */
public final class NativeTuning {
    private NativeTuning() {}

    /** What libc offers here. */
    public interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
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
    }
}
