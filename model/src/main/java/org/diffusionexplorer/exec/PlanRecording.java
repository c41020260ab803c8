package org.diffusionexplorer.exec;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What {@link ExecutionPlan} needs to know of one execution of a graph, without its arrays: op by
 * op in the order SameDiff ran them, the names read and written, the shapes written and the
 * arguments SameDiff gave each op. Made by {@link PlanRecorder}; kept on disk by {@link PlanStore}
 * under {@code key}, the {@link PlanStore#key digest} of the graph and shapes it was made for.
 */
public record PlanRecording(String key, List<Step> steps) {
    /** Bumped whenever the form of a recording or what it means changes: older files stop matching. */
    static final int FORMAT = 1;

    /**
     * One op. {@code plainReshape}: a reshape whose input and output are plain row-major arrays, so
     * that its output can be a view of its input.
     */
    public record Step(String op, List<String> inputs, List<String> outputs, List<Output> written, boolean plainReshape,
            long[] iArgs, double[] tArgs, boolean[] bArgs, List<DataType> dArgs) {}

    /** One array an op wrote: its type and shape, and which of the op's inputs it is (-1: none, a new array). */
    public record Output(DataType dataType, long[] shape, char order, int input) {
        long length() {
            long n = 1;
            for (long s : shape) n *= s;
            return n;
        }
    }
}
