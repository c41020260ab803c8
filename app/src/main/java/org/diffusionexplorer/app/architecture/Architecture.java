package org.diffusionexplorer.app.architecture;

import java.util.ArrayList;
import java.util.List;
import org.diffusionexplorer.nn.ParamSpec;
import org.diffusionexplorer.unet.UNetConfig;

/** The whole UNet for one config: the blocks in forward order plus the time-embedding MLP and the output head. */
public record Architecture(UNetConfig config, List<DiagramBlock> inputBlocks, DiagramBlock middle, List<DiagramBlock> outputBlocks,
        List<DiagramBlock.Part> timeEmbed, List<DiagramBlock.Part> head) {

    public List<DiagramBlock> blocks() {
        List<DiagramBlock> all = new ArrayList<>(inputBlocks);
        all.add(middle);
        all.addAll(outputBlocks);
        return all;
    }

    /** Every tensor in the reference's state_dict order. */
    public List<ParamSpec> params() {
        List<ParamSpec> out = new ArrayList<>();
        timeEmbed.forEach(l -> out.addAll(l.params()));
        for (DiagramBlock b : blocks()) b.layers().forEach(l -> out.addAll(l.params()));
        head.forEach(l -> out.addAll(l.params()));
        return out;
    }

    public long paramCount() {
        return params().stream().mapToLong(ParamSpec::numel).sum();
    }

    public DiagramBlock block(String id) {
        return blocks().stream().filter(b -> b.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no block " + id));
    }
}
