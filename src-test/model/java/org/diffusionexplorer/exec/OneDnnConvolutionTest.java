package org.diffusionexplorer.exec;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** oneDNN's convolutions, called directly, against libnd4j's conv2d and conv2d_bp on the same arrays. */
class OneDnnConvolutionTest {

    /** One convolution's arrays; weights in libnd4j's format {@code wFormat} (0: [kH, kW, in, out], 1: [out, in, kH, kW]). */
    private record Case(int n, int c, int o, int h, int k, int stride, boolean bias, int wFormat) {
        int pad() {
            return k / 2;
        }

        int out() {
            return (h + 2 * pad() - k) / stride + 1;
        }

        int[] iArgs(int dataFormat) {
            return new int[] {k, k, stride, stride, pad(), pad(), 1, 1, 0, dataFormat, wFormat};
        }

        INDArray weights() {
            // format 0 as training graphs have it: a permuted view of an [out, in, kH, kW] array
            INDArray oihw = Nd4j.randn(DataType.FLOAT, o, c, k, k);
            return wFormat == 0 ? oihw.permute(2, 3, 1, 0) : oihw;
        }
    }

    private static final List<Case> CASES = List.of(
            new Case(3, 5, 7, 9, 3, 1, true, 0),
            new Case(2, 8, 16, 8, 3, 2, true, 0),     // the UNet's downsampling convolution
            new Case(4, 6, 4, 5, 1, 1, true, 0),      // 1x1 (skip connections)
            new Case(2, 16, 8, 6, 3, 1, false, 1),    // inference graphs' [out, in, kH, kW] weights, no bias
            new Case(2, 32, 32, 16, 3, 1, true, 1));

    private static OpContext context(int[] iArgs, INDArray[] in, INDArray[] out) {
        OpContext ctx = Nd4j.getExecutioner().buildContext();
        ctx.setIArguments(java.util.Arrays.stream(iArgs).asLongStream().toArray());
        ctx.setInputArrays(in);
        ctx.setOutputArrays(out);
        return ctx;
    }

    private static void assertClose(INDArray expected, INDArray got, String what) {
        double scale = 1 + expected.amaxNumber().doubleValue();
        double diff = expected.sub(got).amaxNumber().doubleValue();
        assertTrue(diff <= 2e-5 * scale, what + " differs from libnd4j's by " + diff + " (scale " + scale + ")");
    }

    private static INDArray[] inputs(Case t, INDArray x, INDArray w, INDArray b, INDArray last) {
        return t.bias() ? new INDArray[] {x, w, b, last} : new INDArray[] {x, w, last};
    }

    private static INDArray[] strip(INDArray[] a) {
        return a[a.length - 1] == null ? java.util.Arrays.copyOf(a, a.length - 1) : a;
    }

    @Test
    void forwardAndBackwardMatchLibnd4jOnEveryCoveredShape() {
        Nd4j.getRandom().setSeed(7);
        try (OneDnn.Scratch scratch = new OneDnn.Scratch()) {
            for (Case t : CASES) {
                INDArray x = Nd4j.randn(DataType.FLOAT, t.n(), t.c(), t.h(), t.h()), w = t.weights(), b = Nd4j.randn(DataType.FLOAT, t.o());
                INDArray gradOut = Nd4j.randn(DataType.FLOAT, t.n(), t.o(), t.out(), t.out());
                // forward
                INDArray[] fin = strip(inputs(t, x, w, b, null));
                INDArray expected = Nd4j.create(DataType.FLOAT, t.n(), t.o(), t.out(), t.out());
                Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(fin).addOutputs(expected).addIntegerArguments(t.iArgs(0)).build());
                INDArray y = Nd4j.create(DataType.FLOAT, expected.shape());
                OneDnnConvolution fwd = OneDnnConvolution.bind("conv2d", context(t.iArgs(0), fin, new INDArray[] {y}), scratch);
                assertNotNull(fwd, "oneDNN takes " + t);
                assertTrue(fwd.run(), "oneDNN ran " + t);
                assertClose(expected, y, "forward " + t);
                // backward
                INDArray[] bin = inputs(t, x, w, b, gradOut);
                INDArray gi = Nd4j.create(DataType.FLOAT, x.shape()), gw = Nd4j.create(DataType.FLOAT, w.shape()), gb = Nd4j.create(DataType.FLOAT, t.o());
                INDArray gi2 = gi.dup(), gw2 = gw.dup(), gb2 = gb.dup();
                INDArray[] refOut = t.bias() ? new INDArray[] {gi, gw, gb} : new INDArray[] {gi, gw};
                Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(bin).addOutputs(refOut).addIntegerArguments(t.iArgs(0)).build());
                INDArray[] out = t.bias() ? new INDArray[] {gi2, gw2, gb2} : new INDArray[] {gi2, gw2};
                OneDnnConvolution bwd = OneDnnConvolution.bind("conv2d_bp", context(t.iArgs(0), bin, out), scratch);
                assertNotNull(bwd, "oneDNN takes the backward of " + t);
                assertTrue(bwd.run(), "oneDNN ran the backward of " + t);
                assertClose(gi, gi2, "input gradient " + t);
                assertClose(gw, gw2, "weight gradient " + t);
                if (t.bias()) assertClose(gb, gb2, "bias gradient " + t);
                // run again after later cases grew the shared scratch: still the same result
                assertTrue(fwd.run());
                assertClose(expected, y, "forward again " + t);
                fwd.close();
                bwd.close();
            }
        }
    }

    @Test
    void aConvolutionMadeOnOneThreadRunsRightOnAWorkerWithAnotherThreadCount() throws Exception {
        Case t = CASES.get(4);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, t.n(), t.c(), t.h(), t.h()), w = t.weights(), b = Nd4j.randn(DataType.FLOAT, t.o());
        INDArray expected = Nd4j.create(DataType.FLOAT, t.n(), t.o(), t.out(), t.out());
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(expected).addIntegerArguments(t.iArgs(0)).build());
        INDArray y = Nd4j.create(DataType.FLOAT, expected.shape());
        ExecutorService worker = Executors.newSingleThreadExecutor();
        var nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int mine = OneDnn.threads();
        try (OneDnn.Scratch scratch = new OneDnn.Scratch()) {
            OneDnnConvolution conv = OneDnnConvolution.bind("conv2d", context(t.iArgs(0), new INDArray[] {x, w, b}, new INDArray[] {y}), scratch);
            assertNotNull(conv);
            nativeOps.setOmpNumThreads(2); // made and run for two threads here (per thread: restored below)
            try {
                assertTrue(conv.run());
            } finally {
                nativeOps.setOmpNumThreads(mine);
            }
            assertClose(expected, y, "forward with two threads");
            y.assign(0);
            int threads = worker.submit(() -> {
                nativeOps.setOmpNumThreads(1); // as a batch shard's worker does
                assertTrue(conv.run());
                return OneDnn.threads();
            }).get();
            assertEquals(1, threads);
            assertClose(expected, y, "forward on the worker");
            conv.close();
        } finally {
            worker.shutdown();
        }
    }

    @Test
    void whatItDoesNotCoverStaysWithLibnd4j() {
        Case t = CASES.get(0);
        INDArray x = Nd4j.randn(DataType.FLOAT, t.n(), t.c(), t.h(), t.h()), w = t.weights(), b = Nd4j.randn(DataType.FLOAT, t.o());
        INDArray y = Nd4j.create(DataType.FLOAT, t.n(), t.o(), t.out(), t.out());
        try (OneDnn.Scratch scratch = new OneDnn.Scratch()) {
            assertNull(OneDnnConvolution.bind("conv2d", context(t.iArgs(1), new INDArray[] {x, w, b}, new INDArray[] {y}), scratch), "NHWC");
            INDArray xd = x.castTo(DataType.DOUBLE), wd = w.castTo(DataType.DOUBLE), bd = b.castTo(DataType.DOUBLE);
            assertNull(OneDnnConvolution.bind("conv2d", context(t.iArgs(0), new INDArray[] {xd, wd, bd},
                    new INDArray[] {y.castTo(DataType.DOUBLE)}), scratch), "float64");
            assertNull(OneDnnConvolution.bind("conv2d", context(t.iArgs(0), new INDArray[] {x, w, b.reshape(1, t.o())},
                    new INDArray[] {y}), scratch), "a bias of rank 2");
            assertNull(OneDnnConvolution.bind("deconv2d", context(t.iArgs(0), new INDArray[] {x, w, b}, new INDArray[] {y}), scratch), "other ops");
        }
    }
}
