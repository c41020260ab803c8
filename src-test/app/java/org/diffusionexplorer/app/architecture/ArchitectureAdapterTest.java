package org.diffusionexplorer.app.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.app.testutil.GoldenDir;
import org.diffusionexplorer.unet.UNetBuilder;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetPresets;
import org.junit.jupiter.api.Test;

/** The diagram's numbers against the reference's key list and the UNet port. */
class ArchitectureAdapterTest {


    @Test
    void cifar10TensorsMatchTheReferenceKeyList() throws IOException {
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(GoldenDir.file("cifar10_keys.txt"))) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] kv = line.split("\t");
            expected.add(kv[0] + " " + kv[1].replace("(", "[").replace(",)", "]").replace(")", "]"));
        }
        Architecture a = ArchitectureAdapter.describe(UNetPresets.cifar10(), 1);
        List<String> mine = a.params().stream().map(p -> p.name() + " " + Arrays.toString(p.shape())).toList();
        assertEquals(expected, mine);
        assertEquals(446, mine.size());
        assertEquals(52_546_438L, a.paramCount());
    }

    @Test
    void g1HasTheGoldenTensorAndParameterCounts() {
        Architecture a = ArchitectureAdapter.describe(UNetPresets.g1(), 1);
        assertEquals(128, a.params().size());
        assertEquals(701_345L, a.paramCount());
    }

    @Test
    void everyPresetAgreesWithTheUNetPortBlockByBlock() {
        for (Map.Entry<String, UNetConfig> e : AppPresets.all().entrySet()) {
            Architecture a = ArchitectureAdapter.describe(e.getValue(), 1);
            UNetBuilder.Layout layout = UNetBuilder.layout(e.getValue());
            List<DiagramBlock> mine = a.blocks();
            List<UNetBuilder.Block> theirs = layout.allBlocks().stream().filter(b -> !b.name().equals("out")).toList();
            assertEquals(theirs.size(), mine.size(), e.getKey() + ": blocks");
            for (int i = 0; i < mine.size(); i++) {
                DiagramBlock m = mine.get(i);
                UNetBuilder.Block b = theirs.get(i);
                String where = e.getKey() + " " + b.name();
                assertEquals(b.name(), m.id(), where);
                assertEquals(b.outChannels(), m.outputShape()[1], where);
                assertEquals(b.outSize(), m.outputShape()[2], where);
                assertEquals(b.parameterCount(), m.paramCount(), where);
                assertEquals(b.skipFrom(), m.skipFrom(), where);
                assertEquals(b.skipChannels(), m.skipChannels(), where);
            }
            assertEquals(layout.params().size(), a.params().size(), e.getKey());
        }
    }
}
