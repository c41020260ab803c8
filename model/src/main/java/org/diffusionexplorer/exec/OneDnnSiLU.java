package org.diffusionexplorer.exec;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.List;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A plan's fused SiLU step ({@link SiLUFusion}) on oneDNN's eltwise kernels: y = h (1 + tanh h)
 * from h, or h's gradient from h and y's gradient.
 *
 * <p>With s = sigmoid(2h), h (1 + tanh h) = 2 h s, which is twice oneDNN's swish with alpha 2
 * (swish(h) = h sigmoid(alpha h)); its gradient is twice swish's too. Each way is oneDNN's swish
 * kernel and a linear one that doubles the result in place. oneDNN's swish gradient,
 * s (1 + alpha h (1 - s)), stays finite where SameDiff's swish_bp overflowed (nn.SiLU).
 */
final class OneDnnSiLU extends OneDnnKernel {
    private static volatile Boolean supported;

    private final INDArray h, gradOut, out;

    private OneDnnSiLU(String name, OneDnn.Scratch scratch, INDArray h, INDArray gradOut, INDArray out) {
        super(name, scratch);
        this.h = h;
        this.gradOut = gradOut;
        this.out = out;
    }

    /**
     * Whether oneDNN is here and makes both kernels (asked once, on a small tensor): only then are
     * SiLUs fused, as a fused step has no libnd4j op to fall back to.
     */
    static boolean supported() {
        Boolean s = supported;
        if (s != null) return s;
        synchronized (OneDnnSiLU.class) {
            if (supported == null) {
                boolean ok = OneDnn.available();
                if (ok) {
                    INDArray a = Nd4j.createUninitialized(DataType.FLOAT, 16);
                    try (OneDnn.Scratch scratch = new OneDnn.Scratch();
                            OneDnnSiLU k = new OneDnnSiLU(SiLUFusion.BACKWARD, scratch, a, a, a.dup())) {
                        k.build();
                    } catch (IllegalStateException e) {
                        System.err.println("note: SiLU stays with libnd4j's ops (" + e.getMessage() + ")");
                        ok = false;
                    }
                }
                supported = ok;
            }
            return supported;
        }
    }

    /**
     * The kernel of a fused step ({@code name}: {@link SiLUFusion#FORWARD} or {@link SiLUFusion#BACKWARD}) on its context's arrays.
     *
     * @throws UnsupportedOperationException when the arrays are not plain float32 arrays of one length
     */
    static OneDnnSiLU bind(String name, OpContext ctx, OneDnn.Scratch scratch) {
        List<INDArray> in = ctx.getInputArrays(), out = ctx.getOutputArrays();
        boolean backward = name.equals(SiLUFusion.BACKWARD);
        if (in.size() != (backward ? 2 : 1) || out.size() != 1) throw new UnsupportedOperationException("not a fused SiLU step: " + name);
        if (!supported()) throw new UnsupportedOperationException("no oneDNN swish here: SiLUs are not fused");
        for (INDArray a : List.of(in.get(0), in.get(in.size() - 1), out.get(0))) {
            if (a.dataType() != DataType.FLOAT || a.offset() != 0 || a.ordering() != 'c' || a.elementWiseStride() != 1
                    || a.length() != out.get(0).length()) {
                // a plan that cannot be made this way runs on SameDiff (ExecutionPlan.buildMany's contract)
                throw new UnsupportedOperationException("a fused SiLU needs plain float32 arrays of one length");
            }
        }
        return new OneDnnSiLU(name, scratch, in.get(0), backward ? in.get(1) : null, out.get(0));
    }

    @Override
    String whenRefused() {
        return "a fused step has no libnd4j op, so the plan stops";
    }

    @Override
    void build() {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, 1, new long[] {h.length()}, dnnl_f32, dnnl_x), "memory descriptor");
        dnnl_memory src = user(h, md), dst = user(out, md);
        dnnl_eltwise_desc_t f = new dnnl_eltwise_desc_t();
        check(dnnl_eltwise_forward_desc_init(f, dnnl_forward_training, dnnl_eltwise_swish, md, 2f, 0f), "swish descriptor");
        dnnl_primitive_desc swish = desc(f, null);
        if (gradOut == null) {
            exec(swish, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst);
        } else {
            dnnl_eltwise_desc_t b = new dnnl_eltwise_desc_t();
            check(dnnl_eltwise_backward_desc_init(b, dnnl_eltwise_swish, md, md, 2f, 0f), "swish gradient descriptor");
            exec(desc(b, swish), DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, user(gradOut, md), DNNL_ARG_DIFF_SRC, dst);
        }
        // a second pass: oneDNN 2.5 runs an eltwise primitive with a post-op (the doubling) on its reference code only
        dnnl_eltwise_desc_t twice = new dnnl_eltwise_desc_t();
        check(dnnl_eltwise_forward_desc_init(twice, dnnl_forward_inference, dnnl_eltwise_linear, md, 2f, 0f), "linear descriptor");
        exec(desc(twice, null), DNNL_ARG_SRC, dst, DNNL_ARG_DST, dst);
    }
}
