package org.diffusionexplorer.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;

/**
 * Finds the SiLU the model's graphs spell in libnd4j's ops and gives a plan one fused step for it
 * each way, run by {@link OneDnnSiLU}.
 *
 * <p>The graph computes SiLU(x) = h (1 + tanh h) from h = x / 2 (nn.SiLU says why: no NaN, and
 * oneDNN's tanh) as three ops, {@code tanh}, {@code add_scalar} 1 and {@code multiply}, and SameDiff
 * differentiates that as {@code multiply_bp}, {@code tanh_bp} and an {@code add} of h's two
 * gradients: six passes over the activation forward and backward, where PyTorch runs one kernel each
 * way. On one thread they took about 80 ms of a 600 ms preset A training step. A fused step reads h
 * (and the output's gradient) and writes the output (or h's gradient); the arrays between them are
 * never made.
 *
 * <p>A pattern is fused only when nothing else reads what it makes inside (tanh h, 1 + tanh h and
 * the partial gradients), no step writes into h or the output's gradient in place, and every array is
 * float32; a graph that differentiates the product but not in this shape keeps all its ops.
 */
final class SiLUFusion {
    /** Op names of the fused steps (what a profile counts them under). */
    static final String FORWARD = "silu", BACKWARD = "silu_bp";

    private SiLUFusion() {}

    /**
     * {@code steps} with each SiLU found replaced by fused steps, whose op names are put in
     * {@code fused} (step op name -> {@link #FORWARD} or {@link #BACKWARD}).
     */
    static List<PlanRecording.Step> apply(SameDiff sd, List<PlanRecording.Step> steps, Set<String> wanted, Map<String, String> fused) {
        Map<String, List<Integer>> readers = new HashMap<>();
        Set<String> writtenInPlace = new HashSet<>();
        Map<String, String> aliasOf = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            PlanRecording.Step s = steps.get(i);
            for (String n : s.inputs()) readers.computeIfAbsent(n, k -> new ArrayList<>()).add(i);
            DifferentialFunction f = op(sd, s);
            for (int k = 0; k < s.outputs().size(); k++) {
                int same = s.written().get(k).input();
                if (same >= 0) {
                    writtenInPlace.add(s.inputs().get(same));
                    aliasOf.put(s.outputs().get(k), s.inputs().get(same));
                } else if (f instanceof Identity || f instanceof Reshape) aliasOf.put(s.outputs().get(k), s.inputs().get(0));
            }
        }
        Set<String> touched = new HashSet<>(); // names written in place, and everything they alias
        for (String n : writtenInPlace) for (String r = n; r != null; r = aliasOf.get(r)) touched.add(r);

        Map<Integer, PlanRecording.Step> replace = new HashMap<>();
        Set<Integer> drop = new HashSet<>();
        for (int a = 0; a < steps.size(); a++) {
            PlanRecording.Step tanh = steps.get(a);
            if (!is(sd, tanh, "tanh", 1, 1)) continue;
            String h = tanh.inputs().get(0), t = tanh.outputs().get(0);
            Integer b = only(readers, t);
            if (b == null || !isAddOne(sd, steps.get(b))) continue;
            String u = steps.get(b).outputs().get(0);
            Integer c = null, d = null; // its readers: the product, and the product's gradient in a training graph
            boolean other = false;
            for (int r : readers.getOrDefault(u, List.of())) {
                PlanRecording.Step s = steps.get(r);
                if (c == null && is(sd, s, "multiply", 2, 1) && Set.copyOf(s.inputs()).equals(Set.of(h, u))) c = r;
                else if (d == null && is(sd, s, "multiply_bp", 3, 2)) d = r;
                else other = true;
            }
            if (c == null || other) continue;
            PlanRecording.Step mul = steps.get(c);
            String y = mul.outputs().get(0);
            if (wanted.contains(t) || wanted.contains(u) || touched.contains(h) || !float32(tanh, steps.get(b), mul)
                    || tanh.written().get(0).length() != mul.written().get(0).length()) continue;
            PlanRecording.Step backward = null;
            int[] gone = {};
            if (d != null) { // the gradient: multiply_bp(h, u, dy) -> (dh_a, du); tanh_bp(h, du) -> dh_b; add(dh_a, dh_b) -> dh
                PlanRecording.Step mbp = steps.get(d);
                if (!mbp.inputs().subList(0, 2).equals(mul.inputs())) continue;
                int ui = mul.inputs().indexOf(u);
                String dy = mbp.inputs().get(2), dhA = mbp.outputs().get(1 - ui), du = mbp.outputs().get(ui);
                Integer e = only(readers, du), fa = only(readers, dhA);
                if (e == null || fa == null || !is(sd, steps.get(e), "tanh_bp", 2, 1) || !steps.get(e).inputs().equals(List.of(h, du))) continue;
                String dhB = steps.get(e).outputs().get(0);
                PlanRecording.Step add = steps.get(fa);
                if (!fa.equals(only(readers, dhB)) || !is(sd, add, "add", 2, 1) || !Set.copyOf(add.inputs()).equals(Set.of(dhA, dhB))
                        || Set.of(du, dhA, dhB).stream().anyMatch(wanted::contains) || touched.contains(dy) || !float32(mbp, steps.get(e), add)) {
                    continue;
                }
                backward = new PlanRecording.Step(BACKWARD + " " + add.op(), List.of(h, dy), add.outputs(), add.written(), false,
                        new long[0], new double[0], new boolean[0], List.of());
                fused.put(backward.op(), BACKWARD);
                replace.put(fa, backward);
                gone = new int[] {d, e};
            }
            PlanRecording.Step forward = new PlanRecording.Step(FORWARD + " " + mul.op(), List.of(h), List.of(y), mul.written(), false,
                    new long[0], new double[0], new boolean[0], List.of());
            fused.put(forward.op(), FORWARD);
            replace.put(c, forward);
            drop.add(a);
            drop.add(b);
            for (int g : gone) drop.add(g);
        }
        if (replace.isEmpty()) return steps;
        List<PlanRecording.Step> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            if (drop.contains(i)) continue;
            out.add(replace.getOrDefault(i, steps.get(i)));
        }
        return out;
    }

    private static DifferentialFunction op(SameDiff sd, PlanRecording.Step s) {
        SameDiffOp o = sd.getOps().get(s.op());
        return o == null ? null : o.getOp();
    }

    private static boolean is(SameDiff sd, PlanRecording.Step s, String opName, int inputs, int outputs) {
        DifferentialFunction f = op(sd, s);
        return f instanceof CustomOp && opName.equals(f.opName()) && s.inputs().size() == inputs && s.outputs().size() == outputs
                && s.written().stream().allMatch(w -> w.input() < 0);
    }

    private static boolean isAddOne(SameDiff sd, PlanRecording.Step s) {
        return op(sd, s) instanceof ScalarOp f && "add_scalar".equals(f.opName()) && f.scalar() != null && f.scalar().getDouble(0) == 1.0
                && s.inputs().size() == 1 && s.outputs().size() == 1 && s.written().get(0).input() < 0;
    }

    private static boolean float32(PlanRecording.Step... steps) {
        for (PlanRecording.Step s : steps) if (!s.written().stream().allMatch(w -> w.dataType() == DataType.FLOAT)) return false;
        return true;
    }

    /** The one step that reads {@code name}, or null. */
    private static Integer only(Map<String, List<Integer>> readers, String name) {
        List<Integer> r = readers.get(name);
        return r != null && r.size() == 1 ? r.get(0) : null;
    }
}
