package org.diffusionexplorer.app.architecture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetPresets;

/** The configurations offered in the architecture pane, by the names a teacher sees. */
public final class AppPresets {
    private AppPresets() {
    }

    /**
     * Tiny classroom: MNIST's own 28x28, C=32, mult 1,2,2, one res block per level, attention at the
     * 7x7 level, 2 heads, scale-shift norm. Small enough to draw on one screen and to train on a laptop.
     */
    public static UNetConfig tinyClassroom() {
        return new UNetConfig(28, 1, 32, 1, 1, List.of(4), 0.0, List.of(1, 2, 2), true, 0, 2, -1, true);
    }

    public static Map<String, UNetConfig> all() {
        Map<String, UNetConfig> m = new LinkedHashMap<>();
        m.put("Tiny classroom (28x28 MNIST)", tinyClassroom());
        m.put("Small (preset A, 32x32)", UNetPresets.presetA());
        m.put("g1 (golden test model, 16x16)", UNetPresets.g1());
        m.put("CIFAR-10 (the reference's README model)", UNetPresets.cifar10());
        return m;
    }
}
