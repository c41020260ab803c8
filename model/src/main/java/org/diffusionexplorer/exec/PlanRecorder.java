package org.diffusionexplorer.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.GradientBackwardsMarker;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Watches one execution of a SameDiff graph and writes down, op by op in the order SameDiff ran
 * them, what {@link ExecutionPlan} needs to repeat it ({@link PlanRecording.Step}), while the op's
 * context still holds everything: InferenceSession calls listeners after each op and before it
 * purges the context. Shapes and identities are taken then, not later: SameDiff may hand an array
 * it has released to a later op.
 *
 * <p>It also keeps the arrays a plan cannot make itself, the values of names no earlier op wrote
 * (placeholders, variables, constants, the loss gradient's marker value), in {@link #values}.
 */
final class PlanRecorder extends BaseListener {
    final List<PlanRecording.Step> steps = new ArrayList<>();
    /** Name -> the array SameDiff passed for it, for names no recorded op had written before. */
    final Map<String, INDArray> values = new HashMap<>();
    private final Set<String> written = new HashSet<>();
    /** Why this execution cannot be planned, or null. */
    String problem;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        List<String> in = op.getInputsToOp() == null ? List.of() : List.copyOf(op.getInputsToOp());
        List<String> out = List.copyOf(op.getOutputsOfOp());
        INDArray[] inputs = ctx == null ? new INDArray[0] : ctx.getInputArrays().toArray(new INDArray[0]);
        DifferentialFunction f = op.getOp();
        if (f instanceof Identity || f instanceof GradientBackwardsMarker) {
            // InferenceSession hands an Identity its input array as output; a marker's output is its value
            String source = f instanceof Identity ? in.get(0) : out.get(0);
            if (!written.contains(source)) values.putIfAbsent(source, outputs[0]);
        } else {
            for (int k = 0; k < Math.min(in.size(), inputs.length); k++) {
                if (!written.contains(in.get(k))) values.putIfAbsent(in.get(k), inputs[k]);
            }
        }
        written.addAll(out);
        List<PlanRecording.Output> shapes = new ArrayList<>(outputs.length);
        for (INDArray o : outputs) shapes.add(new PlanRecording.Output(o.dataType(), o.shape(), o.ordering(), indexOfIdentity(inputs, o)));
        long[] i = ctx == null ? new long[0] : ctx.getIArguments().stream().mapToLong(Long::longValue).toArray();
        double[] t = ctx == null ? new double[0] : ctx.getTArguments().stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] b = new boolean[ctx == null ? 0 : ctx.numBArguments()];
        for (int k = 0; k < b.length; k++) b[k] = ctx.getBArguments().get(k);
        List<DataType> d = ctx == null ? List.of() : List.copyOf(ctx.getDArguments());
        boolean plain = f instanceof Reshape && isPlainReshape(inputs, outputs);
        // Identities, markers and plain reshapes become aliases or fixed values in a plan: what they read is not replayed
        if (problem == null && inputs.length != in.size() && !plain && !(f instanceof Identity || f instanceof GradientBackwardsMarker)) {
            problem = "op " + op.getName() + " (" + f.getClass().getSimpleName() + ") read " + inputs.length + " arrays for " + in.size() + " inputs";
        }
        steps.add(new PlanRecording.Step(op.getName(), in, out, shapes, plain, i, t, b, d));
    }

    private static int indexOfIdentity(INDArray[] arrays, INDArray a) {
        for (int i = 0; i < arrays.length; i++) if (arrays[i] == a) return i;
        return -1;
    }

    /** A reshape whose input and output are plain row-major arrays: the output can be a view of the input. */
    private static boolean isPlainReshape(INDArray[] inputs, INDArray[] outputs) {
        if (inputs.length < 1 || outputs.length != 1) return false;
        INDArray in = inputs[0], out = outputs[0];
        return in.length() == out.length() && in.ordering() == 'c' && out.ordering() == 'c' && !in.isView()
                && in.elementWiseStride() == 1 && in.dataType() == out.dataType();
    }
}
