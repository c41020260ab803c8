package org.diffusionexplorer.app.model;

import java.util.ArrayList;
import java.util.List;
import org.diffusionexplorer.unet.UNetConfig;

/** The whole UNet for one config: the blocks in forward order plus the time-embedding MLP and the output head. */
public record Architecture(UNetConfig config, List<BlockInfo> inputBlocks, BlockInfo middle, List<BlockInfo> outputBlocks,
        List<Layer> timeEmbed, List<Layer> head) {

    public List<BlockInfo> blocks() {
        List<BlockInfo> all = new ArrayList<>(inputBlocks);
        all.add(middle);
        all.addAll(outputBlocks);
        return all;
    }

    /** Every tensor in the reference's state_dict order. */
    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        timeEmbed.forEach(l -> out.addAll(l.params()));
        for (BlockInfo b : blocks()) b.layers().forEach(l -> out.addAll(l.params()));
        head.forEach(l -> out.addAll(l.params()));
        return out;
    }

    public long paramCount() {
        return params().stream().mapToLong(Param::count).sum();
    }

    public BlockInfo block(String id) {
        return blocks().stream().filter(b -> b.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no block " + id));
    }
}
