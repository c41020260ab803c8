package org.diffusionexplorer.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which steps of a T-step process a shorter process keeps (the reference's space_timesteps).
 * Syntax: "" or null = all steps; "250" = 250 evenly spaced steps; "10,15,20" = T split into
 * equal sections (the first T % sections get one step more) with that many steps each;
 * "ddimN" = the smallest integer stride that gives exactly N steps, starting at 0.
 */
public final class Respacing {
    private Respacing() {}

    /** The kept timesteps, sorted ascending. */
    public static int[] spaceTimesteps(int numTimesteps, String spec) {
        if (numTimesteps < 1) throw new IllegalArgumentException("number of diffusion steps must be at least 1, got " + numTimesteps);
        if (spec == null || spec.isBlank()) return range(0, numTimesteps, 1);
        String s = spec.trim();
        if (s.startsWith("ddim")) return ddim(numTimesteps, s);
        String[] parts = s.split(",", -1);
        int[] counts = new int[parts.length];
        for (int i = 0; i < parts.length; i++) counts[i] = parseCount(parts[i], spec);
        return sections(numTimesteps, counts, spec);
    }

    private static int[] ddim(int numTimesteps, String spec) {
        int desired = parseCount(spec.substring(4), spec);
        // the first stride whose range(0, T, stride) has exactly the desired length
        for (int stride = 1; stride < numTimesteps; stride++) {
            if ((numTimesteps + stride - 1) / stride == desired) return range(0, numTimesteps, stride);
        }
        throw new IllegalArgumentException("respacing '" + spec + "': no integer stride gives exactly " + desired
                + " steps out of " + numTimesteps);
    }

    private static int[] sections(int numTimesteps, int[] counts, String spec) {
        int sizePer = numTimesteps / counts.length;
        int extra = numTimesteps % counts.length;
        TreeSet<Integer> steps = new TreeSet<>();
        int start = 0;
        for (int i = 0; i < counts.length; i++) {
            int size = sizePer + (i < extra ? 1 : 0);
            if (size < counts[i]) {
                throw new IllegalArgumentException("respacing '" + spec + "': section " + (i + 1) + " spans " + size
                        + " of the " + numTimesteps + " steps and cannot hold " + counts[i] + " steps");
            }
            double stride = counts[i] <= 1 ? 1 : (size - 1) / (double) (counts[i] - 1);
            double cur = 0;
            for (int k = 0; k < counts[i]; k++) {
                steps.add(start + (int) Math.rint(cur)); // rint rounds halves to even, like Python's round()
                cur += stride;
            }
            start += size;
        }
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int parseCount(String text, String spec) {
        String t = text.trim();
        if (!t.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("respacing '" + spec + "': '" + text + "' is not a step count (expected e.g. "
                    + "\"250\", \"10,15,20\" or \"ddim50\")");
        }
        int n = Integer.parseInt(t);
        if (n < 1) throw new IllegalArgumentException("respacing '" + spec + "': step counts must be at least 1");
        return n;
    }

    private static int[] range(int from, int to, int stride) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i += stride) r.add(i);
        return r.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Betas of the process that keeps only {@code kept} steps: 1 - abar_k / abar_(previous kept),
     * so that the kept steps have the same alpha-bar as in the original process.
     */
    public static double[] respacedBetas(double[] betas, int[] kept) {
        double[] out = new double[kept.length];
        double abar = 1.0;
        double lastKept = 1.0;
        int j = 0;
        for (int i = 0; i < betas.length && j < kept.length; i++) {
            abar *= 1.0 - betas[i];
            if (i == kept[j]) {
                out[j++] = 1 - abar / lastKept;
                lastKept = abar;
            }
        }
        if (j != kept.length) throw new IllegalArgumentException("kept timesteps must be sorted, distinct and below " + betas.length);
        return out;
    }
}
