package org.diffusionexplorer.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.imports.converters.ImportClassMapping;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff op of this project's own that runs one of libnd4j's native ops forward and has a
 * backward written here ({@link #doDiff}): the way SameDiff M2.1 lets a layer replace the backward
 * its autodiff would build.
 *
 * <p>SameDiff knows each subclass by a name of its own ({@link #opName}) and runs it as the native
 * op {@link #nativeName} names ({@link #opHash}). The name must be registered ({@link #register}):
 * SameDiff makes a FlatBuffers copy of a graph before it differentiates one and maps each op back to
 * its class by that name. libnd4j's native ops ignore inputs and integer arguments beyond those they
 * read, so a subclass may carry an extra input its backward needs.
 */
abstract class NativeOp extends DynamicCustomOp {
    private long nativeHash;

    NativeOp() {}

    NativeOp(SameDiff sd, SDVariable... inputs) {
        super(null, sd, inputs);
    }

    /** Makes SameDiff's FlatBuffers copy of a graph map these ops' names back to their classes. */
    static void register(NativeOp... ops) {
        for (NativeOp op : ops) ImportClassMapping.getOpNameMapping().put(op.opName(), op);
    }

    /** libnd4j's native op this one runs. */
    abstract String nativeName();

    @Override
    public long opHash() {
        if (nativeHash == 0) nativeHash = getDescriptor().getHash();
        return nativeHash;
    }

    @Override
    public CustomOpDescriptor getDescriptor() {
        return Nd4j.getExecutioner().getCustomOperations().get(nativeName());
    }

    /** No named properties: what the native op needs travels as its integer and float arguments. */
    @Override
    public Map<String, Object> propertiesForFunction() {
        return new LinkedHashMap<>();
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> types) {
        return List.of(types.get(0));
    }

    /** The row sums of g [R, M] times {@code factor}, [R, 1], as one matrix-vector product. */
    SDVariable rowSums(SDVariable g, long columns, double factor) {
        return sameDiff.mmul(g, sameDiff.constant(Nd4j.valueArrayOf(new long[] {columns, 1}, factor, arg().dataType())));
    }
}
