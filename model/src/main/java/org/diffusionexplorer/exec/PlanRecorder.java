package org.diffusionexplorer.exec;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Watches one execution of a SameDiff graph and writes down, op by op in the order SameDiff ran
 * them, what {@link ExecutionPlan} needs to repeat it: the op object (which keeps the attributes
 * SameDiff gave it), the names and the very arrays it read, the arguments of its context, and the
 * shapes of what it wrote. Called by InferenceSession after each op and before it purges the
 * op's context, so the context still holds everything.
 */
final class PlanRecorder extends BaseListener {
    /** One executed op. {@code inputs} are the arrays SameDiff passed, {@code outputs} what the op returned. */
    record Step(SameDiffOp op, List<String> inputNames, INDArray[] inputs, List<String> outputNames, INDArray[] outputs,
            long[] iArgs, double[] tArgs, boolean[] bArgs, DataType[] dArgs) {}

    final List<Step> steps = new ArrayList<>();

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        List<String> in = op.getInputsToOp() == null ? List.of() : List.copyOf(op.getInputsToOp());
        INDArray[] inputs = ctx == null ? new INDArray[0] : ctx.getInputArrays().toArray(new INDArray[0]);
        long[] i = ctx == null ? new long[0] : ctx.getIArguments().stream().mapToLong(Long::longValue).toArray();
        double[] t = ctx == null ? new double[0] : ctx.getTArguments().stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] b = new boolean[ctx == null ? 0 : ctx.numBArguments()];
        for (int k = 0; k < b.length; k++) b[k] = ctx.getBArguments().get(k);
        DataType[] d = ctx == null ? new DataType[0] : ctx.getDArguments().toArray(new DataType[0]);
        steps.add(new Step(op, in, inputs, List.copyOf(op.getOutputsOfOp()), outputs.clone(), i, t, b, d));
    }
}
