package org.diffusionexplorer.exec;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * A plan's {@code conv2d} or {@code conv2d_bp} run straight on oneDNN, on the arrays the op's
 * context already holds, its primitives made once: on the first call, by the thread that runs it.
 *
 * <p>Why: libnd4j M2.1 runs these ops on oneDNN as well, and its kernels are as fast as PyTorch's,
 * but around them it creates every primitive descriptor again on every call, asks for a forward
 * kernel whose layout costs three full-tensor reorders (it even reorders the output array before
 * the kernel writes it) and runs the backward-data pass without Winograd. On one thread that glue
 * was about 140 ms of a 668 ms preset A training step, the whole of the gap to the reference
 * (docs/speed.md). Here every pass runs in oneDNN's blocked layout (as PyTorch's do), oneDNN picks
 * each pass's algorithm (Winograd for 3x3 on AVX-512), and the primitives, reorders included, are
 * made once.
 *
 * <p>The library is bytedeco's build of oneDNN 2.5 ({@link OneDnn}); libnd4j's copy is linked
 * into libnd4jcpu without its C API exported. It shares libnd4j's OpenMP runtime (the loader
 * finds libgomp already loaded), so the thread count a caller sets for libnd4j holds here too.
 *
 * <p>Layouts are described by the arrays' own strides, so a permuted weight view (training graphs
 * convolve the [out, in, kH, kW] variable permuted to libnd4j's [kH, kW, in, out]) is read where it
 * lies. Whatever this class does not cover (other data types, NHWC, dilation, "same" mode,
 * arrays with an offset) stays with libnd4j: {@link #bind} returns null.
 */
final class OneDnnConvolution extends OneDnnKernel {
    // scratch roles: buffers in oneDNN's own layouts, shared by the convolutions of one plan
    private static final int SRC = 0, DST = 1, WEIGHTS = 2, DIFF_DST = 3, DIFF_SRC = 4, DIFF_WEIGHTS = 5, DIFF_DST_W = 6;

    private final Consumer<OneDnnConvolution> build; // makes this convolution's primitives, memories and executions

    private OneDnnConvolution(String opName, OneDnn.Scratch scratch, Consumer<OneDnnConvolution> build) {
        super(opName, scratch);
        this.build = build;
    }

    @Override
    void build() {
        build.accept(this);
    }

    /**
     * The direct form of a {@code conv2d} or {@code conv2d_bp} call, or null when oneDNN is not
     * available or the call is outside what this class covers.
     */
    static OneDnnConvolution bind(String opName, OpContext ctx, OneDnn.Scratch scratch) {
        boolean backward = opName.equals("conv2d_bp");
        if (!backward && !opName.equals("conv2d") || !OneDnn.available()) return null;
        List<INDArray> in = ctx.getInputArrays(), out = ctx.getOutputArrays();
        long[] a = ctx.getIArguments().stream().mapToLong(Long::longValue).toArray();
        if (a.length < 11 || a[6] != 1 || a[7] != 1 || a[8] != 0 || a[9] != 0) return null; // dilation 1, explicit padding, NCHW
        int wFormat = (int) a[10];
        int nIn = in.size(), nOut = out.size();
        boolean bias = backward ? nIn == 4 : nIn == 3;
        if (backward ? (nIn != 3 && nIn != 4) || nOut != (bias ? 3 : 2) : (nIn != 2 && nIn != 3) || nOut != 1) return null;
        List<INDArray> all = new ArrayList<>(in);
        all.addAll(out);
        for (INDArray x : all) {
            if (x == null || x.dataType() != DataType.FLOAT || x.offset() != 0 || x.isEmpty()) return null;
        }
        INDArray x = in.get(0), w = in.get(1);
        if (x.rank() != 4 || w.rank() != 4) return null;
        int[] wOrder = switch (wFormat) { // array dims of (out, in, kH, kW)
            case 0 -> new int[] {3, 2, 0, 1};
            case 1 -> new int[] {0, 1, 2, 3};
            case 2 -> new int[] {0, 3, 1, 2};
            default -> null;
        };
        if (wOrder == null) return null;
        long o = w.size(wOrder[0]), c = w.size(wOrder[1]), kH = w.size(wOrder[2]), kW = w.size(wOrder[3]);
        long n = x.size(0), h = x.size(2), wd = x.size(3);
        if (x.size(1) != c || a[0] != kH || a[1] != kW) return null;
        long sH = a[2], sW = a[3], pH = a[4], pW = a[5];
        long oH = (h + 2 * pH - kH) / sH + 1, oW = (wd + 2 * pW - kW) / sW + 1;
        INDArray y = backward ? in.get(nIn - 1) : out.get(0);
        if (y.rank() != 4 || y.size(0) != n || y.size(1) != o || y.size(2) != oH || y.size(3) != oW) return null;
        if (bias && (in.get(2).rank() != 1 || in.get(2).length() != o || backward && out.get(2).rank() != 1)) return null;
        long[] strides = {sH, sW}, padL = {pH, pW}, padR = {(oH - 1) * sH + kH - h - pH, (oW - 1) * sW + kW - wd - pW};
        Shapes s = new Shapes(new long[] {n, c, h, wd}, new long[] {o, c, kH, kW}, new long[] {o}, new long[] {n, o, oH, oW},
                strides, padL, padR);
        INDArray b = bias ? in.get(2) : null;
        return backward
                ? new OneDnnConvolution(opName, scratch,
                        cv -> cv.backward(s, x, w, b, y, out.get(0), out.get(1), bias ? out.get(2) : null, wOrder))
                : new OneDnnConvolution(opName, scratch, cv -> cv.forward(s, x, w, b, y, wOrder));
    }

    private record Shapes(long[] src, long[] weights, long[] bias, long[] dst, long[] strides, long[] padL, long[] padR) {}

    private void forward(Shapes s, INDArray x, INDArray w, INDArray b, INDArray y, int[] wOrder) {
        dnnl_primitive_desc fwd = forwardDesc(s, b != null);
        dnnl_memory xU = user(x, new int[] {0, 1, 2, 3}), wU = user(w, wOrder), yU = user(y, new int[] {0, 1, 2, 3});
        dnnl_memory xI = toKernel(xU, fwd, dnnl_query_src_md, SRC);
        dnnl_memory wI = toKernel(wU, fwd, dnnl_query_weights_md, WEIGHTS);
        dnnl_memory yI = internal(fwd, dnnl_query_dst_md, yU, DST);
        if (b == null) exec(fwd, DNNL_ARG_SRC, xI, DNNL_ARG_WEIGHTS, wI, DNNL_ARG_DST, yI);
        else exec(fwd, DNNL_ARG_SRC, xI, DNNL_ARG_WEIGHTS, wI, DNNL_ARG_BIAS, user(b, new int[] {0}), DNNL_ARG_DST, yI);
        fromKernel(yI, yU);
    }

    private void backward(Shapes s, INDArray x, INDArray w, INDArray b, INDArray gradOut, INDArray gradIn, INDArray gradW,
            INDArray gradB, int[] wOrder) {
        dnnl_primitive_desc hint = forwardDesc(s, b != null);
        int[] nchw = {0, 1, 2, 3};
        dnnl_memory xU = user(x, nchw), wU = user(w, wOrder), goU = user(gradOut, nchw);
        dnnl_memory giU = user(gradIn, nchw), gwU = user(gradW, wOrder);
        // gradient of the input: oneDNN picks the algorithm (Winograd for 3x3 where it can)
        dnnl_convolution_desc_t dd = new dnnl_convolution_desc_t();
        check(dnnl_convolution_backward_data_desc_init(dd, dnnl_convolution_auto, any(s.src()), any(s.weights()), any(s.dst()),
                s.strides(), s.padL(), s.padR()), "backward-data descriptor");
        dnnl_primitive_desc data = desc(dd, hint);
        dnnl_memory goD = toKernel(goU, data, dnnl_query_diff_dst_md, DIFF_DST);
        dnnl_memory wD = toKernel(wU, data, dnnl_query_weights_md, WEIGHTS);
        dnnl_memory giD = internal(data, dnnl_query_diff_src_md, giU, DIFF_SRC);
        exec(data, DNNL_ARG_DIFF_DST, goD, DNNL_ARG_WEIGHTS, wD, DNNL_ARG_DIFF_SRC, giD);
        fromKernel(giD, giU);
        // gradients of the weights and the bias
        dnnl_convolution_desc_t wdsc = new dnnl_convolution_desc_t();
        check(dnnl_convolution_backward_weights_desc_init(wdsc, dnnl_convolution_auto, any(s.src()), any(s.weights()),
                gradB == null ? null : plain(s.bias(), dnnl_x), any(s.dst()), s.strides(), s.padL(), s.padR()),
                "backward-weights descriptor");
        dnnl_primitive_desc weights = desc(wdsc, hint);
        dnnl_memory xW = toKernel(xU, weights, dnnl_query_src_md, SRC);
        dnnl_memory_desc_t goWmd = dnnl_primitive_desc_query_md(weights, dnnl_query_diff_dst_md, 0);
        dnnl_memory goW = dnnl_memory_desc_equal(goWmd, dnnl_primitive_desc_query_md(data, dnnl_query_diff_dst_md, 0)) != 0
                ? goD : toKernel(goU, weights, dnnl_query_diff_dst_md, DIFF_DST_W);
        dnnl_memory gwW = internal(weights, dnnl_query_diff_weights_md, gwU, DIFF_WEIGHTS);
        if (gradB == null) exec(weights, DNNL_ARG_SRC, xW, DNNL_ARG_DIFF_DST, goW, DNNL_ARG_DIFF_WEIGHTS, gwW);
        else exec(weights, DNNL_ARG_SRC, xW, DNNL_ARG_DIFF_DST, goW, DNNL_ARG_DIFF_WEIGHTS, gwW, DNNL_ARG_DIFF_BIAS,
                user(gradB, new int[] {0}));
        fromKernel(gwW, gwU);
    }

    private dnnl_primitive_desc forwardDesc(Shapes s, boolean bias) {
        dnnl_convolution_desc_t d = new dnnl_convolution_desc_t();
        check(dnnl_convolution_forward_desc_init(d, dnnl_forward_training, dnnl_convolution_auto, any(s.src()), any(s.weights()),
                bias ? plain(s.bias(), dnnl_x) : null, any(s.dst()), s.strides(), s.padL(), s.padR()), "forward descriptor");
        return desc(d, null);
    }

    /** The kernel's own copy of a user array, refreshed by a reorder before the kernel runs; the user memory if the layouts agree. */
    private dnnl_memory toKernel(dnnl_memory user, dnnl_primitive_desc pd, int what, int slot) {
        dnnl_memory_desc_t want = dnnl_primitive_desc_query_md(pd, what, 0);
        if (dnnl_memory_desc_equal(want, describe(user)) != 0) return user;
        dnnl_memory k = scratchMemory(want, slot);
        exec(reorder(describe(user), want), DNNL_ARG_FROM, user, DNNL_ARG_TO, k);
        return k;
    }

    /** Where the kernel writes: the user array itself if the layouts agree, else scratch (then {@link #fromKernel}). */
    private dnnl_memory internal(dnnl_primitive_desc pd, int what, dnnl_memory user, int slot) {
        dnnl_memory_desc_t want = dnnl_primitive_desc_query_md(pd, what, 0);
        return dnnl_memory_desc_equal(want, describe(user)) != 0 ? user : scratchMemory(want, slot);
    }

    private void fromKernel(dnnl_memory kernel, dnnl_memory user) {
        if (kernel != user) exec(reorder(describe(kernel), describe(user)), DNNL_ARG_FROM, kernel, DNNL_ARG_TO, user);
    }

    private static dnnl_memory_desc_t any(long[] dims) {
        return plain(dims, dnnl_format_tag_any);
    }

    private static dnnl_memory_desc_t plain(long[] dims, int tag) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "memory descriptor");
        return md;
    }
}
