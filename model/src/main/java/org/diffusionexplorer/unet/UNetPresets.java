package org.diffusionexplorer.unet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Named model configurations: the benchmark presets, the golden g1 model and the reference's CIFAR-10 model. */
public final class UNetPresets {
    private UNetPresets() {}

    /** Preset A: 32x32x1, C=32, mult 1,2,2, 2 res blocks, attention at factor 4, 4 heads, scale-shift. */
    public static UNetConfig presetA() {
        return new UNetConfig(32, 1, 32, 1, 2, List.of(4), 0.0, List.of(1, 2, 2), true, 0, 4, -1, true);
    }

    /** Preset B: 32x32x3, C=64, mult 1,2,2,2, 2 res blocks, attention at factor 2, 4 heads, scale-shift. */
    public static UNetConfig presetB() {
        return new UNetConfig(32, 3, 64, 3, 2, List.of(2), 0.0, List.of(1, 2, 2, 2), true, 0, 4, -1, true);
    }

    /** The small model of ../shared/golden (g1_config.json). */
    public static UNetConfig g1() {
        return new UNetConfig(16, 1, 32, 1, 1, List.of(2), 0.0, List.of(1, 2), true, 0, 2, -1, false);
    }

    /** The README CIFAR-10 model of the reference (learn_sigma, so 6 output channels). */
    public static UNetConfig cifar10() {
        return new UNetConfig(32, 3, 128, 6, 3, List.of(2, 4), 0.3, List.of(1, 2, 2, 2), true, 0, 4, -1, true);
    }

    public static Map<String, UNetConfig> all() {
        Map<String, UNetConfig> m = new LinkedHashMap<>();
        m.put("A", presetA());
        m.put("B", presetB());
        m.put("g1", g1());
        m.put("cifar10", cifar10());
        return m;
    }

    public static UNetConfig byName(String name) {
        for (Map.Entry<String, UNetConfig> e : all().entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return e.getValue();
        }
        throw new InvalidConfigException("preset", "unknown preset '" + name + "' (known: " + all().keySet() + ")");
    }
}
