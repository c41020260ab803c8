package org.diffusionexplorer.app.model;

import java.util.List;

/**
 * A named part of a block as the reference names it (in_layers, emb_layers, out_layers,
 * skip_connection, qkv, proj_out, op, conv, ...), what it does, and the shape it produces.
 */
public record Layer(String name, String description, long[] outputShape, List<Param> params) {
    public long paramCount() {
        return params.stream().mapToLong(Param::count).sum();
    }
}
