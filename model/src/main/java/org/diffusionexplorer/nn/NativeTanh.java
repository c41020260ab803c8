package org.diffusionexplorer.nn;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.util.HashUtil;

/**
 * tanh through libnd4j's declarable {@code tanh} op, which M2.1 runs on oneDNN's vectorised
 * eltwise kernel (its platform helper), instead of the legacy transform that
 * {@code sd.math().tanh} records, which evaluates std::tanh one element at a time.
 * Measured on one thread, [16, 32, 28, 28] float32: 0.28 ms against 2.87 ms for the legacy
 * transform and 1.42 ms for the legacy sigmoid. The backward is the declarable {@code tanh_bp}
 * (also oneDNN), as the legacy op's own derivative is.
 */
public final class NativeTanh extends DynamicCustomOp {
    /** For SameDiff's reflection (op lookup by class); graphs use {@link #of}. */
    public NativeTanh() {}

    private NativeTanh(SameDiff sd, SDVariable x) {
        super(null, sd, new SDVariable[] {x});
    }

    public static SDVariable of(SDVariable x) {
        return new NativeTanh(x.getSameDiff(), x).outputVariable();
    }

    /**
     * Points the hash of the name "tanh" at this class in ND4J's op registry. SameDiff clones a graph
     * through its FlatBuffers form before differentiating it (createGradFunction), and maps a custom op
     * back to a Java class by the hash of its name. M2.1 maps "tanh" to the legacy transform, which is
     * not a custom op, so the clone failed with a ClassCastException. A custom op named "tanh" can only
     * be this one. Called through {@link OpRegistration#forDifferentiation}.
     */
    @SuppressWarnings("unchecked")
    static void register() {
        long hash = HashUtil.getLongHash("tanh");
        try {
            DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
            Field byName = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClasses");
            Field byHash = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClass");
            byName.setAccessible(true);
            byHash.setAccessible(true);
            Map<Long, Map<String, Class<?>>> named = (Map<Long, Map<String, Class<?>>>) byName.get(holder);
            Map<Long, Class<?>> hashed = (Map<Long, Class<?>>) byHash.get(holder);
            if (named.containsKey(hash)) named.get(hash).put("tanh", NativeTanh.class);
            hashed.put(hash, NativeTanh.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot register the native tanh op with ND4J", e);
        }
    }

    @Override
    public String opName() {
        return "tanh";
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grad) {
        return new TanhDerivative(sameDiff, arg(), grad.get(0)).outputs();
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> types) {
        return List.of(types.get(0));
    }
}
