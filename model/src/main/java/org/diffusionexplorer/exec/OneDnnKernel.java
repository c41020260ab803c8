package org.diffusionexplorer.exec;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One planned call run straight on oneDNN primitives ({@link OneDnnConvolution}, {@link OneDnnSiLU}),
 * on arrays the plan bound it to, its primitives made once: on the first call, by the thread that
 * runs it. This class owns what every such call shares: the primitives, memories and argument lists
 * it made, their scratch slots, and the rule for threads (below).
 */
abstract class OneDnnKernel implements AutoCloseable {
    /** A kernel's scratchpad, in {@link OneDnn.Scratch}'s last slot. */
    static final int SCRATCHPAD = OneDnn.Scratch.SLOTS - 1;

    /** One primitive with its arguments, ready to execute. */
    private record Exec(dnnl_primitive primitive, dnnl_exec_arg_t args, int count) {}

    /** A memory in oneDNN's layout that lives in a scratch slot. */
    private record ScratchMemory(dnnl_memory memory, int slot) {}

    private final String opName;
    private final OneDnn.Scratch scratch;
    private final List<Exec> execs = new ArrayList<>();
    private final List<dnnl_primitive_desc> descs = new ArrayList<>();
    private final List<dnnl_primitive> primitives = new ArrayList<>();
    private final List<dnnl_memory> memories = new ArrayList<>();
    private final List<ScratchMemory> inScratch = new ArrayList<>();
    private int builtForThreads = -1;
    private boolean refused;
    private long boundTo = -1; // the scratch generation the scratch memories point into

    OneDnnKernel(String opName, OneDnn.Scratch scratch) {
        this.opName = opName;
        this.scratch = scratch;
    }

    /** Makes this call's primitives, memories and executions ({@link #exec}), in the order {@link #run} executes them. */
    abstract void build();

    /**
     * Runs the call on the arrays it was bound to, making its primitives first if this thread's
     * OpenMP thread count is not the one they were made for. oneDNN fixes a primitive's work split
     * when it is created and then asks OpenMP for that many threads whatever the caller's setting, so
     * a plan made on a thread with two threads and run by a batch shard's worker (one thread) would
     * put two threads on each core: it is made on, and for, the thread that runs it. Returns false,
     * having done nothing, when oneDNN refuses the primitives, then and from then on: the caller does
     * what {@link #whenRefused} says.
     */
    boolean run() {
        if (refused) return false;
        int threads = OneDnn.threads();
        if (threads != builtForThreads) {
            try {
                close();
                build();
                builtForThreads = threads;
                boundTo = -1;
            } catch (IllegalStateException e) {
                close();
                refused = true;
                System.err.println("note: oneDNN refused " + opName + " (" + e.getMessage() + "): " + whenRefused());
                return false;
            }
        }
        if (boundTo != scratch.generation()) { // a later call of the plan made a slot larger
            for (ScratchMemory m : inScratch) check(dnnl_memory_set_data_handle(m.memory(), scratch.buffer(m.slot())), "scratch");
            boundTo = scratch.generation();
        }
        for (Exec e : execs) check(dnnl_primitive_execute(e.primitive(), scratch.stream(), e.count(), e.args()), "execution");
        return true;
    }

    /** What the plan does instead when oneDNN refuses this call (for the one-line note). */
    String whenRefused() {
        return "libnd4j's op runs it";
    }

    /** The primitive descriptor of an op descriptor ({@code dnnl_*_desc_t}), with a scratchpad we provide. */
    dnnl_primitive_desc desc(Pointer opDesc, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(opDesc), OneDnn.userScratchpad(), OneDnn.engine(), hint),
                "primitive descriptor");
        descs.add(pd);
        return pd;
    }

    /** A reorder between two layouts of the same tensor. */
    dnnl_primitive_desc reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, OneDnn.engine(), to, OneDnn.engine(), OneDnn.userScratchpad()),
                "reorder descriptor");
        descs.add(pd);
        return pd;
    }

    /** The array where it lies, described by its strides in oneDNN's dimension order ({@code order}: the array's dims). */
    dnnl_memory user(INDArray a, int[] order) {
        long[] dims = new long[order.length], strides = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            dims[i] = a.size(order[i]);
            strides[i] = a.stride(order[i]);
        }
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_strides(md, dims.length, dims, dnnl_f32, strides), "memory descriptor");
        return user(a, md);
    }

    /** A contiguous array's memory as layout {@code md} describes it. */
    dnnl_memory user(INDArray a, dnnl_memory_desc_t md) {
        return memory(md, new Pointer(a.data().addressPointer()));
    }

    /** A memory of layout {@code md} in scratch slot {@code slot} (grown to fit). */
    dnnl_memory scratchMemory(dnnl_memory_desc_t md, int slot) {
        scratch.require(slot, dnnl_memory_desc_get_size(md));
        dnnl_memory m = memory(md, new Pointer());
        inScratch.add(new ScratchMemory(m, slot));
        return m;
    }

    private dnnl_memory memory(dnnl_memory_desc_t md, Pointer data) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, OneDnn.engine(), data), "memory");
        memories.add(m);
        return m;
    }

    static dnnl_memory_desc_t describe(dnnl_memory m) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_get_memory_desc(m, md), "memory query");
        return md;
    }

    /**
     * Adds the primitive of {@code pd} to what {@link #run} executes, with these arguments and its
     * scratchpad. The scratchpad is ours (user mode, per plan) rather than oneDNN's: identical
     * primitives of two batch shards share one implementation through oneDNN's primitive cache and
     * run at the same time on two threads, and with the library's scratchpad that crashed.
     */
    void exec(dnnl_primitive_desc pd, Object... argsAndMemories) {
        dnnl_memory_desc_t pad = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        boolean scratchpad = pad != null && !pad.isNull() && dnnl_memory_desc_get_size(pad) > 0;
        int count = argsAndMemories.length / 2 + (scratchpad ? 1 : 0);
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(count);
        for (int i = 0; i < argsAndMemories.length / 2; i++) {
            args.position(i).arg((Integer) argsAndMemories[2 * i]).memory((dnnl_memory) argsAndMemories[2 * i + 1]);
        }
        if (scratchpad) args.position(count - 1).arg(DNNL_ARG_SCRATCHPAD).memory(scratchMemory(pad, SCRATCHPAD));
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive");
        primitives.add(p);
        execs.add(new Exec(p, args.position(0), count));
    }

    @Override
    public void close() {
        for (dnnl_primitive p : primitives) dnnl_primitive_destroy(p);
        for (dnnl_primitive_desc d : descs) dnnl_primitive_desc_destroy(d);
        for (dnnl_memory m : memories) dnnl_memory_destroy(m);
        primitives.clear();
        descs.clear();
        memories.clear();
        execs.clear();
        inScratch.clear();
        builtForThreads = -1;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
    }
}
