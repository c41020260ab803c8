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
import java.util.function.Function;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
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
 * recorded from an execution by SameDiff itself ({@link PlanRecorder}) and checked against it, or
 * made from such a recording kept for this very graph and these shapes ({@link PlanStore}).
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

    /** A native op with its arguments and arrays, on oneDNN when {@code direct} is set; a fused step ({@link SiLUFusion}) has no op. */
    private record Call(DifferentialFunction op, String name, OpContext ctx, OneDnnKernel direct) {}

    private final Map<String, INDArray> placeholders;
    private final List<Call> calls;
    private final Map<String, INDArray> outputs;
    private final List<INDArray> owned;
    private final OneDnn.Scratch scratch;
    private boolean closed;

    private ExecutionPlan(Map<String, INDArray> placeholders, List<Call> calls, Map<String, INDArray> outputs, List<INDArray> owned,
            OneDnn.Scratch scratch) {
        this.placeholders = placeholders;
        this.calls = calls;
        this.outputs = outputs;
        this.owned = owned;
        this.scratch = scratch;
    }

    /**
     * {@code count} independent plans of {@code sd} computing {@code outputNames} from placeholders
     * shaped like {@code example} (one per {@link DataParallel} worker), from one recording: each has
     * its own placeholders and buffers; the fixed arrays they only read are shared. The recording is
     * the one {@code store} keeps for this graph and these shapes, or else one made now through
     * SameDiff, each plan then checked against SameDiff's outputs (and the recording given to the store).
     *
     * @throws UnsupportedOperationException when the graph has an op a plan cannot repeat, or the
     *     check fails; nothing is left allocated then
     */
    public static List<ExecutionPlan> buildMany(SameDiff sd, Map<String, INDArray> example, List<String> outputNames, int count,
            PlanStore store) {
        Map<String, INDArray> ph = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : example.entrySet()) {
            DataType dt = sd.getVariable(e.getKey()).dataType();
            ph.put(e.getKey(), e.getValue().castTo(dt).dup('c'));
        }
        String key = store == PlanStore.NONE ? null : PlanStore.key(sd, ph, outputNames);
        PlanRecording kept = key == null ? null : store.find(key);
        if (kept != null) {
            try {
                return assembleMany(sd, ph, kept.steps(), n -> graphValue(sd, ph, n), outputNames, count, null);
            } catch (UnsupportedOperationException e) {
                System.err.println("note: the kept plan recording " + key + " does not fit this graph (" + e.getMessage() + "); recording again");
            }
        }
        PlanRecorder rec = new PlanRecorder();
        Map<String, INDArray> reference = sd.output(ph, List.of(rec), outputNames.toArray(new String[0]));
        if (rec.problem != null) throw new UnsupportedOperationException(rec.problem);
        List<ExecutionPlan> plans = assembleMany(sd, ph, rec.steps, rec.values::get, outputNames, count, reference);
        // SameDiff's own outputs are left to the garbage collector: one of them may be a variable's array.
        if (key != null && storable(sd, ph, rec)) store.keep(new PlanRecording(key, rec.steps));
        return plans;
    }

    /** Plans from one recording, each checked against {@code reference} unless it is null (a kept recording). */
    private static List<ExecutionPlan> assembleMany(SameDiff sd, Map<String, INDArray> ph, List<PlanRecording.Step> steps,
            Function<String, INDArray> values, List<String> outputNames, int count, Map<String, INDArray> reference) {
        List<ExecutionPlan> plans = new ArrayList<>(count);
        Map<String, INDArray> shared = new HashMap<>();
        Map<String, String> fused = new HashMap<>(); // fused step -> SiLUFusion.FORWARD or BACKWARD, found once for every plan
        List<PlanRecording.Step> run = OneDnnSiLU.supported() ? SiLUFusion.apply(sd, steps, Set.copyOf(outputNames), fused) : steps;
        try {
            for (int i = 0; i < count; i++) {
                Map<String, INDArray> mine = ph;
                if (i > 0) {
                    mine = new LinkedHashMap<>();
                    for (Map.Entry<String, INDArray> e : ph.entrySet()) mine.put(e.getKey(), e.getValue().dup('c'));
                }
                Map<String, INDArray> own = mine;
                List<INDArray> owned = new ArrayList<>(mine.values());
                try {
                    plans.add(assemble(sd, mine, run, fused, n -> own.containsKey(n) ? own.get(n) : values.apply(n), outputNames, owned,
                            shared));
                } catch (RuntimeException e) {
                    closeAll(owned);
                    throw e;
                }
                if (reference != null) plans.get(i).check(reference);
            }
        } catch (RuntimeException e) {
            for (ExecutionPlan p : plans) p.close();
            throw e;
        }
        return plans;
    }

    /** A value a kept recording reads: a placeholder's, or a variable's or constant's own (live) array. */
    private static INDArray graphValue(SameDiff sd, Map<String, INDArray> ph, String n) {
        if (ph.containsKey(n)) return ph.get(n);
        if (sd.hasVariable(n)) {
            VariableType type = sd.getVariable(n).getVariableType();
            if (type == VariableType.VARIABLE || type == VariableType.CONSTANT) return sd.getArrForVarName(n);
        }
        throw new UnsupportedOperationException("no value for " + n + " outside an execution");
    }

    /** Whether a recording reads only values the graph itself holds, so that it can be kept and used without an execution. */
    private static boolean storable(SameDiff sd, Map<String, INDArray> ph, PlanRecorder rec) {
        for (Map.Entry<String, INDArray> e : rec.values.entrySet()) {
            if (ph.containsKey(e.getKey())) continue; // a placeholder: the plan's own copy is read
            try {
                if (graphValue(sd, ph, e.getKey()) != e.getValue()) return false;
            } catch (UnsupportedOperationException x) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param fused the steps {@link SiLUFusion} made (step op name -> its kind); every other step is an op of {@code sd}
     * @param values the array of a name no step writes (placeholders, variables, constants, marker values)
     * @param shared copies of fixed arrays made by an earlier plan of the same recording (filled on the
     *     first call): plans only read them, so they are shared and left to the garbage collector
     *     instead of being owned (closed) by one plan while another still reads them
     */
    private static ExecutionPlan assemble(SameDiff sd, Map<String, INDArray> ph, List<PlanRecording.Step> steps,
            Map<String, String> fused, Function<String, INDArray> values, List<String> outputNames, List<INDArray> owned,
            Map<String, INDArray> shared) {
        Set<String> wanted = Set.copyOf(outputNames);
        // 1. What each name is: an alias of another (Identity, or an op writing into its input), a fixed array, or computed.
        Map<String, String> aliasOf = new HashMap<>();
        Map<String, long[]> viewShape = new HashMap<>();           // reshape views: alias name -> its shape
        Map<String, INDArray> fixed = new HashMap<>(ph);          // placeholders, constants, variables, marker values
        Map<String, Integer> producer = new HashMap<>();         // name -> index into 'run'
        Map<String, DifferentialFunction> opOf = new HashMap<>();
        List<PlanRecording.Step> run = new ArrayList<>();
        for (PlanRecording.Step s : steps) {
            if (fused.containsKey(s.op())) {
                for (String n : s.inputs()) if (!known(n, producer, aliasOf, fixed)) fixed.put(n, need(values, n));
                producer.put(s.outputs().get(0), run.size());
                run.add(s);
                continue;
            }
            SameDiffOp sdOp = sd.getOps().get(s.op());
            if (sdOp == null) throw new UnsupportedOperationException("no op " + s.op() + " in the graph");
            DifferentialFunction f = sdOp.getOp();
            if (f instanceof Identity) {
                String in = s.inputs().get(0);
                if (!known(in, producer, aliasOf, fixed)) fixed.put(in, need(values, in));
                aliasOf.put(s.outputs().get(0), in);
                continue;
            }
            if (f instanceof GradientBackwardsMarker) {
                INDArray v = need(values, s.outputs().get(0)).dup();
                owned.add(v);
                fixed.put(s.outputs().get(0), v);
                continue;
            }
            String kind = f.getClass().getSimpleName();
            if (f instanceof Reshape && s.plainReshape()) {
                // a view, not a copy (about 3% of a training step): an alias of its input with its own shape
                String in = s.inputs().get(0);
                if (!known(in, producer, aliasOf, fixed)) fixed.put(in, need(values, in));
                aliasOf.put(s.outputs().get(0), in);
                viewShape.put(s.outputs().get(0), s.written().get(0).shape());
                continue;
            }
            if (!(f instanceof CustomOp || f instanceof Op) || kind.equals("CreateView") || kind.equals("ExternalErrorsFunction")
                    || kind.equals("Invoke") || f.getClass().getPackageName().contains("controlflow")
                    || f.getClass().getPackageName().contains("tensorops")) {
                throw new UnsupportedOperationException("op " + s.op() + " (" + kind + ") cannot be planned");
            }
            for (String n : s.inputs()) if (!known(n, producer, aliasOf, fixed)) fixed.put(n, need(values, n));
            for (int k = 0; k < s.outputs().size(); k++) {
                int same = s.written().get(k).input();
                if (same >= 0) aliasOf.put(s.outputs().get(k), s.inputs().get(same)); // wrote into its input
                else producer.put(s.outputs().get(k), run.size());
            }
            opOf.put(s.op(), f);
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
            for (String n : run.get(i).inputs()) lastUse.merge(root(n, aliasOf), i, Math::max);
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
        OneDnn.Scratch scratch = new OneDnn.Scratch();
        for (int i = 0; i < run.size(); i++) {
            PlanRecording.Step s = run.get(i);
            INDArray[] in = new INDArray[s.inputs().size()];
            for (int k = 0; k < in.length; k++) in[k] = resolve(s.inputs().get(k), arrays, aliasOf, viewShape);
            INDArray[] out = new INDArray[s.outputs().size()];
            for (int k = 0; k < out.length; k++) {
                String n = s.outputs().get(k);
                PlanRecording.Output like = s.written().get(k);
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
                out[k] = like.shape().length == 0 ? buf.reshape() : buf.reshape(like.order(), like.shape());
                if (!sameMemory(out[k], buf)) {
                    throw new UnsupportedOperationException("no view of shape " + Arrays.toString(like.shape()) + " on a pooled buffer");
                }
                arrays.put(n, out[k]);
            }
            OpContext ctx = Nd4j.getExecutioner().buildContext();
            if (s.iArgs().length > 0) ctx.setIArguments(s.iArgs());
            if (s.tArgs().length > 0) ctx.setTArguments(s.tArgs());
            if (s.bArgs().length > 0) ctx.setBArguments(s.bArgs());
            if (!s.dArgs().isEmpty()) ctx.setDArguments(s.dArgs().toArray(new DataType[0]));
            ctx.setInputArrays(in);
            ctx.setOutputArrays(out);
            DifferentialFunction op = opOf.get(s.op());
            String kind = fused.get(s.op());
            calls.add(kind != null ? new Call(null, kind, ctx, OneDnnSiLU.bind(kind, ctx, scratch))
                    : new Call(op, op.opName(), ctx, OneDnnConvolution.bind(op.opName(), ctx, scratch)));
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
        return new ExecutionPlan(ph, calls, outputs, owned, scratch);
    }

    private static boolean known(String n, Map<String, Integer> producer, Map<String, String> aliasOf, Map<String, INDArray> fixed) {
        return producer.containsKey(n) || aliasOf.containsKey(n) || fixed.containsKey(n);
    }

    private static INDArray need(Function<String, INDArray> values, String n) {
        INDArray v = values.apply(n);
        if (v == null) throw new UnsupportedOperationException("no array for " + n);
        return v;
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
            if (!sameMemory(v, a)) {
                throw new UnsupportedOperationException("no view of shape " + Arrays.toString(shape) + " for " + n);
            }
            arrays.put(n, v);
            return v;
        }
        return a;
    }

    /**
     * Whether {@code view} starts where {@code array} does, in the same memory. Not DataBuffer.equals,
     * which compares contents element by element: that took half of the plan's assembly (about 0.1 s
     * of the explorer's first denoising frame, a JFR profile of its start-up).
     */
    private static boolean sameMemory(INDArray view, INDArray array) {
        return view.data() == array.data()
                || view.data().address() == array.data().address() && view.offset() == array.offset();
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
            if (c.direct() == null || !c.direct().run()) { // not on oneDNN, or oneDNN refused it: libnd4j's op
                if (c.op() == null) throw new IllegalStateException("oneDNN refused the fused step " + c.name());
                if (c.op() instanceof CustomOp op) Nd4j.exec(op, c.ctx());
                else Nd4j.exec((Op) c.op(), c.ctx());
            }
            if (profile != null) profile.add(OpProfile.label(c.name(), c.ctx()), System.nanoTime() - t0);
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

    /** The op name of every step, in order (a fused step's: {@link SiLUFusion#FORWARD} or {@link SiLUFusion#BACKWARD}). */
    List<String> opNames() {
        return calls.stream().map(Call::name).toList();
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
            if (c.direct() != null) c.direct().close();
            try {
                c.ctx().close();
            } catch (Exception e) {
                // a context that fails to close leaks a few bytes of native memory; nothing to report
            }
        }
        scratch.close();
        closeAll(owned);
    }

    private static void closeAll(List<INDArray> arrays) {
        Set<INDArray> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (INDArray a : arrays) {
            if (seen.add(a) && a.closeable() && !a.wasClosed()) a.close();
        }
    }
}
