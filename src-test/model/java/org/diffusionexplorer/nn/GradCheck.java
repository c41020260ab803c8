package org.diffusionexplorer.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hand-written central-difference gradient check in float64: for a few random coordinates of each
 * named variable, compares SameDiff's gradient of the scalar {@code loss} with
 * (L(w + h) - L(w - h)) / 2h, perturbing the live variable arrays in place.
 */
public final class GradCheck {
    private GradCheck() {}

    public record Result(double maxRelError, int checked, List<String> worst) {}

    public static Result check(SameDiff sd, String loss, Map<String, INDArray> placeholders, List<String> vars,
            int coordsPerVar, long seed) {
        OpRegistration.forDifferentiation();
        long t0 = System.nanoTime();
        Map<String, INDArray> grads = sd.calculateGradients(placeholders, vars);
        long t1 = System.nanoTime();
        Random rnd = new Random(seed);
        double h = 1e-6;
        double worst = 0;
        int n = 0;
        List<String> notes = new ArrayList<>();
        for (String v : vars) {
            INDArray arr = sd.getVariable(v).getArr();
            INDArray g = grads.get(v);
            if (g == null) throw new AssertionError("no gradient for " + v);
            INDArray flat = arr.reshape(arr.length());
            INDArray gflat = g.reshape(g.length());
            for (int k = 0; k < coordsPerVar; k++) {
                long i = (long) (rnd.nextDouble() * arr.length());
                double orig = flat.getDouble(i);
                flat.putScalar(i, orig + h);
                double lp = sd.output(placeholders, loss).get(loss).getDouble(0);
                flat.putScalar(i, orig - h);
                double lm = sd.output(placeholders, loss).get(loss).getDouble(0);
                flat.putScalar(i, orig);
                double num = (lp - lm) / (2 * h);
                double ana = gflat.getDouble(i);
                // relative error, with a floor so that gradients that are truly zero (e.g. the key bias,
                // which softmax cancels) are judged by the finite difference's absolute noise
                double denom = Math.max(Math.max(Math.abs(num), Math.abs(ana)), 1e-2);
                double rel = Math.abs(num - ana) / denom;
                if (rel > worst) {
                    worst = rel;
                    notes.add(0, String.format("%s[%d]: analytic %.8g numeric %.8g rel %.2e", v, i, ana, num, rel));
                }
                n++;
            }
        }
        System.out.printf("gradcheck: gradients %.1f s, %d finite differences %.1f s%n", (t1 - t0) / 1e9, n,
                (System.nanoTime() - t1) / 1e9);
        return new Result(worst, n, notes.subList(0, Math.min(3, notes.size())));
    }
}
