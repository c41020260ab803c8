package org.diffusionexplorer.nn;

import java.util.Arrays;

/**
 * One trainable tensor: its reference state_dict name, shape and how PyTorch initialises it.
 *
 * @param fanIn for {@link Init#FAN_IN_UNIFORM}: the fan-in that sets the bound 1/sqrt(fanIn)
 */
public record ParamSpec(String name, long[] shape, Init init, long fanIn) {

    /** PyTorch's default initialisations (and the reference's zero_module). */
    public enum Init {
        /** nn.Linear / nn.ConvNd default: kaiming_uniform(a=sqrt 5) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)); biases alike. */
        FAN_IN_UNIFORM,
        /** zero_module(...) and GroupNorm biases. */
        ZERO,
        /** GroupNorm weights. */
        ONE,
        /** nn.Embedding: N(0, 1). */
        NORMAL
    }

    public ParamSpec {
        shape = shape.clone();
    }

    public static ParamSpec uniform(String name, long fanIn, long... shape) {
        return new ParamSpec(name, shape, Init.FAN_IN_UNIFORM, fanIn);
    }

    public static ParamSpec zero(String name, long... shape) {
        return new ParamSpec(name, shape, Init.ZERO, 0);
    }

    public static ParamSpec one(String name, long... shape) {
        return new ParamSpec(name, shape, Init.ONE, 0);
    }

    public static ParamSpec normal(String name, long... shape) {
        return new ParamSpec(name, shape, Init.NORMAL, 0);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** The same parameter, zero-initialised (zero_module in the reference). */
    public ParamSpec zeroed() {
        return new ParamSpec(name, shape, Init.ZERO, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape)
                && p.init == init && p.fanIn == fanIn;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
