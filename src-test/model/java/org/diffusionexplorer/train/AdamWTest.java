package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** AdamW against an independent double-precision transcription of torch.optim.AdamW. */
class AdamWTest {
    static final long[][] SHAPES = {{3, 4}, {7}, {2, 3, 2, 2}};

    /** Reference: plain double arrays, the formulas of the PyTorch documentation. */
    static final class RefAdamW {
        final double[][] p, m, v;
        final double lr, b1, b2, eps, wd;
        int t;

        RefAdamW(double[][] p, double lr, double b1, double b2, double eps, double wd) {
            this.p = p;
            this.m = new double[p.length][];
            this.v = new double[p.length][];
            for (int i = 0; i < p.length; i++) { m[i] = new double[p[i].length]; v[i] = new double[p[i].length]; }
            this.lr = lr; this.b1 = b1; this.b2 = b2; this.eps = eps; this.wd = wd;
        }

        void step(double[][] g) {
            t++;
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < p[i].length; j++) {
                    p[i][j] -= lr * wd * p[i][j];
                    m[i][j] = b1 * m[i][j] + (1 - b1) * g[i][j];
                    v[i][j] = b2 * v[i][j] + (1 - b2) * g[i][j] * g[i][j];
                    double mHat = m[i][j] / (1 - Math.pow(b1, t));
                    double vHat = v[i][j] / (1 - Math.pow(b2, t));
                    p[i][j] -= lr * mHat / (Math.sqrt(vHat) + eps);
                }
            }
        }
    }

    private static void check(DataType dt, double wd, double tol) {
        Random r = new Random(42);
        Map<String, INDArray> params = new LinkedHashMap<>();
        double[][] ref = new double[SHAPES.length][];
        for (int i = 0; i < SHAPES.length; i++) {
            INDArray a = Nd4j.create(dt, SHAPES[i]);
            ref[i] = new double[(int) a.length()];
            for (int j = 0; j < ref[i].length; j++) {
                double x = (float) r.nextGaussian(); // float-representable start, same for both
                a.putScalar(j, x);
                ref[i][j] = x;
            }
            params.put("p" + i, a);
        }
        AdamW opt = new AdamW(params, 1e-2, 0.9, 0.999, 1e-8, wd);
        RefAdamW ropt = new RefAdamW(ref, 1e-2, 0.9, 0.999, 1e-8, wd);
        for (int step = 0; step < 6; step++) {
            Map<String, INDArray> grads = new LinkedHashMap<>();
            double[][] g = new double[SHAPES.length][];
            for (int i = 0; i < SHAPES.length; i++) {
                INDArray a = Nd4j.create(dt, SHAPES[i]);
                g[i] = new double[(int) a.length()];
                for (int j = 0; j < g[i].length; j++) {
                    // include tiny and zero gradients: there eps matters
                    double x = j % 5 == 0 ? 0.0 : (float) (r.nextGaussian() * (j % 3 == 0 ? 1e-6 : 1));
                    a.putScalar(j, x);
                    g[i][j] = x;
                }
                grads.put("p" + i, a);
            }
            opt.update(grads);
            ropt.step(g);
        }
        assertEquals(6, opt.step());
        for (int i = 0; i < SHAPES.length; i++) {
            INDArray a = params.get("p" + i);
            for (int j = 0; j < ref[i].length; j++) {
                assertEquals(ref[i][j], a.getDouble(j), tol, "p" + i + "[" + j + "]");
                assertEquals(ropt.m[i][j], opt.exp_avg().get("p" + i).getDouble(j), tol * 10);
                assertEquals(ropt.v[i][j], opt.exp_avg_sq().get("p" + i).getDouble(j), tol * 10);
            }
        }
    }

    @Test
    void float32MatchesDoubleReference() {
        check(DataType.FLOAT, 0.0, 2e-6);
        check(DataType.FLOAT, 0.05, 2e-6);
    }

    @Test
    void float64MatchesDoubleReference() {
        check(DataType.DOUBLE, 0.0, 1e-13);
        check(DataType.DOUBLE, 0.05, 1e-13);
    }

    @Test
    void savedStateResumesExactly() {
        Map<String, INDArray> a = Map.of("w", Nd4j.createFromArray(1.0f, -2.0f, 3.0f));
        Map<String, INDArray> b = Map.of("w", a.get("w").dup());
        AdamW oa = new AdamW(a, 0.1, 0.9, 0.999, 1e-8, 0.01);
        AdamW ob = new AdamW(b, 0.1, 0.9, 0.999, 1e-8, 0.01);
        INDArray[] gs = {Nd4j.createFromArray(0.5f, -1f, 2f), Nd4j.createFromArray(-0.1f, 0.3f, 0f),
            Nd4j.createFromArray(1f, 1f, -1f)};
        oa.update(Map.of("w", gs[0]));
        ob.update(Map.of("w", gs[0]));
        // resume b from a snapshot of its state in a fresh optimizer
        AdamW resumed = new AdamW(b, 0.1, 0.9, 0.999, 1e-8, 0.01);
        resumed.loadState(ob.step(), Map.of("w", ob.exp_avg().get("w").dup()), Map.of("w", ob.exp_avg_sq().get("w").dup()));
        for (int i = 1; i < 3; i++) {
            oa.update(Map.of("w", gs[i]));
            resumed.update(Map.of("w", gs[i]));
        }
        assertEquals(a.get("w"), b.get("w"));
        assertEquals(3, resumed.step());
    }

    /**
     * Gradients as a plan returns them (reshaped views of its buffers, at an offset) and as a permuted
     * view: read in place or copied, each gives the update the dense copy gives, and the same norm.
     */
    @Test
    void gradientsThatAreViewsGiveTheUpdateOfTheirDenseCopies() {
        Nd4j.getRandom().setSeed(11);
        INDArray storage = Nd4j.randn(DataType.FLOAT, 2, 24);
        INDArray atOffset = storage.getRow(1).reshape(2, 3, 4);   // a view with an offset, dense
        INDArray permuted = Nd4j.randn(DataType.FLOAT, 4, 3, 2).permute(2, 1, 0); // a view, not dense
        assertEquals(true, AdamW.dense(atOffset));
        assertEquals(false, AdamW.dense(permuted));
        for (INDArray g : new INDArray[] {atOffset, permuted}) {
            INDArray p1 = Nd4j.randn(DataType.FLOAT, 2, 3, 4), p2 = p1.dup();
            AdamW viewed = new AdamW(Map.of("w", p1), 1e-2), copied = new AdamW(Map.of("w", p2), 1e-2);
            for (int step = 0; step < 3; step++) {
                viewed.update(Map.of("w", g));
                copied.update(Map.of("w", g.dup('c')));
            }
            assertEquals(0, p1.sub(p2).amaxNumber().doubleValue(), 0.0, "parameters after three steps");
            assertEquals(Trainer.norm(java.util.List.of(g.dup('c'))), Trainer.norm(java.util.List.of(g)), 0.0, "gradient norm");
        }
    }
}
