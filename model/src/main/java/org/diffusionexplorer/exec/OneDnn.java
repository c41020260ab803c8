package org.diffusionexplorer.exec;

import static org.bytedeco.dnnl.global.dnnl.*;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The oneDNN library {@link OneDnnKernel}s call: loaded on first use, on the CPU backend only,
 * unless {@code -Ddiffusion.onednn=false} (to compare with libnd4j's own convolutions and SiLU ops). Where it
 * cannot load (an OS without bytedeco's build) plans keep libnd4j's ops, after one line saying so.
 */
final class OneDnn {
    private static final Object LOCK = new Object();
    private static volatile Boolean available;
    private static dnnl_engine engine;
    private static dnnl_primitive_attr userScratchpad;

    private OneDnn() {}

    static boolean available() {
        Boolean a = available;
        if (a != null) return a;
        synchronized (LOCK) {
            if (available == null) available = load();
            return available;
        }
    }

    private static boolean load() {
        if (!Boolean.parseBoolean(System.getProperty("diffusion.onednn", "true"))) return false;
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (!backend.startsWith("Cpu")) return false; // the CUDA backend convolves with cuDNN
        try {
            Loader.load(org.bytedeco.dnnl.global.dnnl.class);
            dnnl_engine e = new dnnl_engine();
            if (dnnl_engine_create(e, dnnl_cpu, 0) != dnnl_success) throw new IllegalStateException("no CPU engine");
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            if (dnnl_primitive_attr_create(attr) != dnnl_success
                    || dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user) != dnnl_success) {
                throw new IllegalStateException("no primitive attributes");
            }
            engine = e;
            userScratchpad = attr;
            return true;
        } catch (Throwable t) {
            System.err.println("note: convolutions and SiLU run on libnd4j's own ops (oneDNN did not load: " + t.getMessage() + ")");
            return false;
        }
    }

    static dnnl_engine engine() {
        return engine;
    }

    /** Primitive attributes asking for a scratchpad the caller provides ({@link OneDnnKernel#exec}). */
    static dnnl_primitive_attr userScratchpad() {
        return userScratchpad;
    }

    /** The OpenMP thread count of the calling thread (omp_get_max_threads; per thread, like omp_set_num_threads). */
    static int threads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /**
     * What one plan's oneDNN calls share: a stream (a plan runs on one thread at a time; a stream may
     * not be used by two at once) and scratch buffers in oneDNN's layouts, one per role and as large
     * as the largest need (the calls run one after another). A slot that must grow is
     * replaced, and the generation tells the kernels to point their memories at the new one.
     */
    static final class Scratch implements AutoCloseable {
        /** Roles: {@link OneDnnConvolution}'s layouts, then every kernel's scratchpad ({@link OneDnnKernel#SCRATCHPAD}). */
        static final int SLOTS = 8;
        private final BytePointer[] buffers = new BytePointer[SLOTS];
        private final long[] capacity = new long[SLOTS];
        private long generation;
        private dnnl_stream stream;

        void require(int slot, long bytes) {
            if (bytes <= capacity[slot]) return;
            if (buffers[slot] != null) buffers[slot].position(0).deallocate();
            BytePointer b = new BytePointer(bytes + 64); // aligned to a cache line below, as oneDNN's own allocations are
            buffers[slot] = b.position((64 - b.address() % 64) % 64);
            capacity[slot] = bytes;
            generation++;
        }

        Pointer buffer(int slot) {
            return buffers[slot];
        }

        long generation() {
            return generation;
        }

        dnnl_stream stream() {
            if (stream == null) {
                dnnl_stream s = new dnnl_stream();
                if (dnnl_stream_create(s, engine, dnnl_stream_default_flags) != dnnl_success) {
                    throw new IllegalStateException("no oneDNN stream");
                }
                stream = s;
            }
            return stream;
        }

        @Override
        public void close() {
            if (stream != null) dnnl_stream_destroy(stream);
            stream = null;
            for (int i = 0; i < buffers.length; i++) {
                if (buffers[i] != null) buffers[i].position(0).deallocate();
                buffers[i] = null;
                capacity[i] = 0;
            }
        }
    }
}
