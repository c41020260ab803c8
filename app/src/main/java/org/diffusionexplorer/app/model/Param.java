package org.diffusionexplorer.app.model;

import java.util.Arrays;

/** One tensor of the reference state_dict: its full name and shape. */
public record Param(String name, long[] shape) {
    public long count() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
