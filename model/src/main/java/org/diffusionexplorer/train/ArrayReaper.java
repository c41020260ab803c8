package org.diffusionexplorer.train;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Frees the op outputs of a gradient pass right after the step. In M2.1 the session leaves most
 * of them to the garbage collector (forward activations and their gradients: ~40 MB per image of
 * preset A per step), so without a GC per step resident memory grew by gigabytes in a few steps.
 * Needs SameDiff's array cache off (NativeRuntime does that): a cached array must not be closed.
 */
final class ArrayReaper extends BaseListener {
    private final Set<INDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private long closed;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext, INDArray[] outputs) {
        if (outputs == null) return;
        for (INDArray o : outputs) if (o != null) seen.add(o);
    }

    /**
     * Closes every recorded output that owns its buffer, except the arrays in {@code keep} and any
     * array whose memory a kept array shares (a returned gradient may be a view of an op output).
     */
    void reap(Collection<INDArray> keep) {
        Set<Object> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (INDArray a : keep) {
            if (a == null) continue;
            kept.add(a);
            kept.add(a.data());
            kept.add(a.data().underlyingDataBuffer());
            if (a.data().originalDataBuffer() != null) kept.add(a.data().originalDataBuffer());
        }
        for (INDArray a : seen) {
            if (!kept.contains(a) && !kept.contains(a.data()) && !kept.contains(a.data().underlyingDataBuffer())
                    && !a.wasClosed() && a.closeable()) {
                a.close();
                closed++;
            }
        }
        seen.clear();
    }

    long closedCount() {
        return closed;
    }
}
