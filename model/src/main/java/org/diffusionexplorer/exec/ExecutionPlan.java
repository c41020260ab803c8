package org.diffusionexplorer.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.GradientBackwardsMarker;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One SameDiff graph, for fixed placeholder shapes and outputs, as a list of native op calls with
 * every array decided in advance. The graph stays the one description of the model: the plan is
 * recorded from an execution by SameDiff itself ({@link PlanRecorder}) and checked against it.
 *
 * <p>Why: SameDiff M2.1's InferenceSession spends, per op and per call, as long on bookkeeping
 * (dependency tracking in hash maps and tries, shape functions, op parameterisation) and on a
 * freshly allocated output buffer ({@code Nd4jCpu.allocateDataBuffer}, about half of the native
 * time in a profile of a training step) as the kernels take. A plan does that work once: each op
 * keeps one OpContext holding its arguments, its input arrays and its preallocated output arrays,
 * and a call is a loop of {@code Nd4j.exec(op, context)}.
 *
 * <p>Memory: an intermediate array's buffer returns to a pool after the last op that reads it and
 * is given to a later output of the same type and length, so a plan holds about the peak of
 * simultaneously live arrays, not all of them. Requested outputs have buffers of their own. The
 * arrays a call returns belong to the plan and are overwritten by the next call.
 *
 * <p>What is not planned (the build throws {@link UnsupportedOperationException} and callers use
 * SameDiff): control flow, tensor arrays, views ({@code CreateView}), external errors, any op that
 * is neither a custom nor a legacy op, and a plan whose outputs differ from SameDiff's.
 */
public final class ExecutionPlan implements AutoCloseable {
    /** Largest difference from SameDiff's outputs accepted when the plan is checked, relative to the output's size. */
    static final double CHECK_TOLERANCE = 1e-5;

    private record Call(DifferentialFunction op, OpContext ctx) {}

    private final Map<String, INDArray> placeholders;
    private final List<Call> calls;
    private final Map<String, INDArray> outputs;
    private final List<INDArray> owned;
    private boolean closed;

    private ExecutionPlan(Map<String, INDArray> placeholders, List<Call> calls, Map<String, INDArray> outputs, List<INDArray> owned) {
        this.placeholders = placeholders;
        this.calls = calls;
        this.outputs = outputs;
        this.owned = owned;
    }

    /**
     * Records {@code sd} computing {@code outputNames} from placeholders shaped like {@code example},
     * builds the plan and checks that it reproduces SameDiff's outputs.
     *
     * @throws UnsupportedOperationException when the graph has an op the plan cannot repeat, or the
     *     check fails; nothing is left allocated then
     */
    public static ExecutionPlan build(SameDiff sd, Map<String, INDArray> example, List<String> outputNames) {
        return buildMany(sd, example, outputNames, 1).get(0);
    }

    /**
     * {@code count} independent plans of the same graph and shapes (for {@link DataParallel}'s workers)
     * from one recording: each has its own placeholders and buffers; the fixed arrays they only read
     * are shared. Each is checked against SameDiff's outputs.
     */
    public static List<ExecutionPlan> buildMany(SameDiff sd, Map<String, INDArray> example, List<String> outputNames, int count) {
        Map<String, INDArray> ph = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : example.entrySet()) {
            DataType dt = sd.getVariable(e.getKey()).dataType();
            ph.put(e.getKey(), e.getValue().castTo(dt).dup('c'));
        }
        PlanRecorder rec = new PlanRecorder();
        Map<String, INDArray> reference = sd.output(ph, List.of(rec), outputNames.toArray(new String[0]));
        List<ExecutionPlan> plans = new ArrayList<>(count);
        Map<String, INDArray> shared = new HashMap<>();
        try {
            for (int i = 0; i < count; i++) {
                Map<String, INDArray> mine = ph;
                if (i > 0) {
                    mine = new LinkedHashMap<>();
                    for (Map.Entry<String, INDArray> e : ph.entrySet()) mine.put(e.getKey(), e.getValue().dup('c'));
                }
                List<INDArray> owned = new ArrayList<>(mine.values());
                try {
                    plans.add(assemble(sd, mine, rec.steps, outputNames, owned, shared));
                } catch (RuntimeException e) {
                    closeAll(owned);
                    throw e;
                }
                plans.get(i).check(reference);
            }
        } catch (RuntimeException e) {
            for (ExecutionPlan p : plans) p.close();
            throw e;
        }
        // SameDiff's own outputs are left to the garbage collector: one of them may be a variable's array.
        return plans;
    }

    /**
     * @param shared copies of fixed arrays made by an earlier plan of the same recording (filled on the
     *     first call): plans only read them, so they are shared and left to the garbage collector
     *     instead of being owned (closed) by one plan while another still reads them
     */
    private static ExecutionPlan assemble(SameDiff sd, Map<String, INDArray> ph, List<PlanRecorder.Step> steps,
            List<String> outputNames, List<INDArray> owned, Map<String, INDArray> shared) {
        Set<String> wanted = Set.copyOf(outputNames);
        // 1. What each name is: an alias of another (Identity, or an op writing into its input), a fixed array, or computed.
        Map<String, String> aliasOf = new HashMap<>();
        Map<String, long[]> viewShape = new HashMap<>();           // reshape views: alias name -> its shape
        Map<String, INDArray> fixed = new HashMap<>(ph);          // placeholders, constants, variables, marker values
        Map<String, Integer> producer = new HashMap<>();         // name -> index into 'run'
        List<PlanRecorder.Step> run = new ArrayList<>();
        for (PlanRecorder.Step s : steps) {
            DifferentialFunction f = s.op().getOp();
            if (f instanceof Identity) {
                String in = s.inputNames().get(0);
                // InferenceSession hands an Identity its input array as output; an input no recorded op made
                // (the loss gradient's marker value is not reported to listeners) is that fixed array
                if (!producer.containsKey(in) && !aliasOf.containsKey(in) && !fixed.containsKey(in)) fixed.put(in, s.outputs()[0]);
                aliasOf.put(s.outputNames().get(0), in);
                continue;
            }
            if (f instanceof GradientBackwardsMarker) {
                INDArray v = s.outputs()[0].dup();
                owned.add(v);
                fixed.put(s.outputNames().get(0), v);
                continue;
            }
            String kind = f.getClass().getSimpleName();
            if (f instanceof Reshape && isPlainReshape(s)) {
                // a view, not a copy (about 3% of a training step): an alias of its input with its own shape
                String in = s.inputNames().get(0);
                if (!producer.containsKey(in) && !aliasOf.containsKey(in) && !fixed.containsKey(in)) fixed.put(in, s.inputs()[0]);
                aliasOf.put(s.outputNames().get(0), in);
                viewShape.put(s.outputNames().get(0), s.outputs()[0].shape());
                continue;
            }
            if (!(f instanceof CustomOp || f instanceof Op) || kind.equals("CreateView") || kind.equals("ExternalErrorsFunction")
                    || kind.equals("Invoke") || f.getClass().getPackageName().contains("controlflow")
                    || f.getClass().getPackageName().contains("tensorops")) {
                throw new UnsupportedOperationException("op " + s.op().getName() + " (" + kind + ") cannot be planned");
            }
            if (s.inputs().length != s.inputNames().size()) {
                throw new UnsupportedOperationException("op " + s.op().getName() + " (" + kind + ") read " + s.inputs().length
                        + " arrays for " + s.inputNames().size() + " inputs");
            }
            for (int k = 0; k < s.inputNames().size(); k++) {
                String n = s.inputNames().get(k);
                if (!producer.containsKey(n) && !aliasOf.containsKey(n) && !fixed.containsKey(n)) fixed.put(n, s.inputs()[k]);
            }
            for (int k = 0; k < s.outputNames().size(); k++) {
                INDArray o = s.outputs()[k];
                int same = indexOfIdentity(s.inputs(), o);
                if (same >= 0) aliasOf.put(s.outputNames().get(k), s.inputNames().get(same)); // wrote into its input
                else producer.put(s.outputNames().get(k), run.size());
            }
            run.add(s);
        }
        // Variables and constants are read live (optimizer steps and imports write into them). Any other
        // array an unrecorded op made belongs to SameDiff's array cache, which may hand it out again: copy it.
        for (Map.Entry<String, INDArray> e : fixed.entrySet()) {
            if (ph.containsKey(e.getKey()) || !sd.hasVariable(e.getKey())) continue;
            VariableType type = sd.getVariable(e.getKey()).getVariableType();
            if (type == VariableType.VARIABLE || type == VariableType.CONSTANT) continue;
            e.setValue(shared.computeIfAbsent(e.getKey(), k -> e.getValue().dup()));
        }
        // 2. Last reader of each computed buffer (aliases keep their root alive); wanted outputs live on.
        int forever = Integer.MAX_VALUE;
        Map<String, Integer> lastUse = new HashMap<>();
        for (String n : producer.keySet()) lastUse.put(n, producer.get(n));
        for (int i = 0; i < run.size(); i++) {
            for (String n : run.get(i).inputNames()) lastUse.merge(root(n, aliasOf), i, Math::max);
        }
        for (String n : wanted) lastUse.put(root(n, aliasOf), forever);
        // 3. Buffers: a pool per (type, length); a buffer returns after its last reader ran.
        Map<String, INDArray> arrays = new HashMap<>(fixed);
        Map<String, Deque<INDArray>> pool = new HashMap<>();
        Map<Integer, List<String>> freeAfter = new HashMap<>();
        for (Map.Entry<String, Integer> e : lastUse.entrySet()) {
            if (producer.containsKey(e.getKey()) && e.getValue() != forever) {
                freeAfter.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
            }
        }
        Map<String, INDArray> flat = new HashMap<>();
        List<Call> calls = new ArrayList<>(run.size());
        for (int i = 0; i < run.size(); i++) {
            PlanRecorder.Step s = run.get(i);
            INDArray[] in = new INDArray[s.inputNames().size()];
            for (int k = 0; k < in.length; k++) in[k] = resolve(s.inputNames().get(k), arrays, aliasOf, viewShape);
            INDArray[] out = new INDArray[s.outputNames().size()];
            for (int k = 0; k < out.length; k++) {
                String n = s.outputNames().get(k);
                INDArray like = s.outputs()[k];
                if (!producer.containsKey(n)) {
                    out[k] = resolve(n, arrays, aliasOf, viewShape);
                    continue;
                }
                String key = like.dataType() + ":" + like.length();
                Deque<INDArray> free = pool.get(key);
                INDArray buf = free == null || free.isEmpty() ? null : free.poll();
                if (buf == null) {
                    buf = Nd4j.createUninitialized(like.dataType(), Math.max(1, like.length()));
                    owned.add(buf);
                }
                flat.put(n, buf);
                out[k] = like.rank() == 0 ? buf.reshape() : buf.reshape(like.ordering(), like.shape());
                if (out[k].data() != buf.data() && !out[k].data().equals(buf.data())) {
                    throw new UnsupportedOperationException("no view of shape " + Arrays.toString(like.shape()) + " on a pooled buffer");
                }
                arrays.put(n, out[k]);
            }
            OpContext ctx = Nd4j.getExecutioner().buildContext();
            if (s.iArgs().length > 0) ctx.setIArguments(s.iArgs());
            if (s.tArgs().length > 0) ctx.setTArguments(s.tArgs());
            if (s.bArgs().length > 0) ctx.setBArguments(s.bArgs());
            if (s.dArgs().length > 0) ctx.setDArguments(s.dArgs());
            ctx.setInputArrays(in);
            ctx.setOutputArrays(out);
            calls.add(new Call(s.op().getOp(), ctx));
            for (String n : freeAfter.getOrDefault(i, List.of())) {
                INDArray b = flat.get(n);
                pool.computeIfAbsent(b.dataType() + ":" + b.length(), k -> new ArrayDeque<>()).push(b);
            }
        }
        Map<String, INDArray> outputs = new LinkedHashMap<>();
        for (String n : outputNames) {
            INDArray a = resolve(n, arrays, aliasOf, viewShape);
            outputs.put(n, a);
        }
        return new ExecutionPlan(ph, calls, outputs, owned);
    }

    private static int indexOfIdentity(INDArray[] arrays, INDArray a) {
        for (int i = 0; i < arrays.length; i++) if (arrays[i] == a) return i;
        return -1;
    }

    private static String root(String n, Map<String, String> aliasOf) {
        String r = n;
        while (aliasOf.containsKey(r)) r = aliasOf.get(r);
        return r;
    }

    /** The array of {@code n}: its alias root's, seen through every reshape view on the way (made once, kept in arrays). */
    private static INDArray resolve(String n, Map<String, INDArray> arrays, Map<String, String> aliasOf, Map<String, long[]> viewShape) {
        INDArray a = arrays.get(n);
        if (a != null) return a;
        String up = aliasOf.get(n);
        if (up == null) throw new UnsupportedOperationException("no array for " + n);
        a = resolve(up, arrays, aliasOf, viewShape);
        long[] shape = viewShape.get(n);
        if (shape != null) {
            INDArray v = a.reshape('c', shape);
            if (v.data() != a.data() && !v.data().equals(a.data())) {
                throw new UnsupportedOperationException("no view of shape " + Arrays.toString(shape) + " for " + n);
            }
            arrays.put(n, v);
            return v;
        }
        return a;
    }

    /** A reshape whose input and output are plain row-major arrays: the output can be a view of the input. */
    private static boolean isPlainReshape(PlanRecorder.Step s) {
        if (s.inputs().length < 1 || s.outputs().length != 1) return false;
        INDArray in = s.inputs()[0], out = s.outputs()[0];
        return in.length() == out.length() && in.ordering() == 'c' && out.ordering() == 'c' && !in.isView()
                && in.elementWiseStride() == 1 && in.dataType() == out.dataType();
    }

    /** Runs the plan once on its current placeholder values and compares with SameDiff's outputs. */
    private void check(Map<String, INDArray> reference) {
        execute();
        for (Map.Entry<String, INDArray> e : outputs.entrySet()) {
            INDArray ref = reference.get(e.getKey()), got = e.getValue();
            if (ref == null || !Arrays.equals(ref.shape(), got.shape())) {
                throw new UnsupportedOperationException("plan output " + e.getKey() + " has shape " + Arrays.toString(got.shape())
                        + ", SameDiff's " + (ref == null ? "none" : Arrays.toString(ref.shape())));
            }
            if (ref.length() == 0 || !ref.dataType().isFPType()) {
                if (!ref.equals(got)) throw new UnsupportedOperationException("plan output " + e.getKey() + " differs from SameDiff's");
                continue;
            }
            INDArray r = ref.castTo(DataType.DOUBLE), g = got.castTo(DataType.DOUBLE);
            double diff = r.sub(g).amaxNumber().doubleValue(), scale = 1 + r.amaxNumber().doubleValue();
            if (!(diff <= CHECK_TOLERANCE * scale)) {
                throw new UnsupportedOperationException("plan output " + e.getKey() + " differs from SameDiff's by " + diff);
            }
        }
    }

    /**
     * Computes the outputs for these placeholder values (every placeholder of the plan, same shapes).
     * The returned arrays belong to the plan: read or copy them before the next call.
     */
    public Map<String, INDArray> run(Map<String, INDArray> values) {
        if (closed) throw new IllegalStateException("execution plan closed");
        for (Map.Entry<String, INDArray> e : placeholders.entrySet()) {
            INDArray v = values.get(e.getKey());
            if (v == null) throw new IllegalArgumentException("no value for placeholder " + e.getKey());
            if (!Arrays.equals(v.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("placeholder " + e.getKey() + " has shape " + Arrays.toString(v.shape())
                        + ", the plan was made for " + Arrays.toString(e.getValue().shape()));
            }
            e.getValue().assign(v);
        }
        execute();
        return outputs;
    }

    private void execute() {
        OpProfile profile = OpProfile.active();
        for (Call c : calls) {
            long t0 = profile == null ? 0 : System.nanoTime();
            if (c.op() instanceof CustomOp op) Nd4j.exec(op, c.ctx());
            else Nd4j.exec((Op) c.op(), c.ctx());
            if (profile != null) profile.add(OpProfile.label(c.op().opName(), c.ctx()), System.nanoTime() - t0);
        }
    }

    /** True when {@code values} fit this plan (same placeholder names and shapes). */
    public boolean fits(Map<String, INDArray> values) {
        if (!values.keySet().equals(placeholders.keySet())) return false;
        for (Map.Entry<String, INDArray> e : placeholders.entrySet()) {
            if (!Arrays.equals(values.get(e.getKey()).shape(), e.getValue().shape())) return false;
        }
        return true;
    }

    /** Native ops one call runs. */
    public int size() {
        return calls.size();
    }

    /** Bytes of the buffers the plan owns (placeholders, intermediates, outputs). */
    public long bytes() {
        long b = 0;
        for (INDArray a : owned) if (!a.wasClosed()) b += a.length() * a.dataType().width();
        return b;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Call c : calls) {
            try {
                c.ctx().close();
            } catch (Exception e) {
                // a context that fails to close leaks a few bytes of native memory; nothing to report
            }
        }
        closeAll(owned);
    }

    private static void closeAll(List<INDArray> arrays) {
        Set<INDArray> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (INDArray a : arrays) {
            if (seen.add(a) && a.closeable() && !a.wasClosed()) a.close();
        }
    }
}
