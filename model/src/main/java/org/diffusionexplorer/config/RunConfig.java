package org.diffusionexplorer.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.diffusionexplorer.unet.ConfigJson;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetPresets;

/**
 * The full configuration of a training run, stored as the run folder's config.json:
 * <pre>{"model": {UNetConfig}, "diffusion": {...}, "training": {...}, "data": {...}}</pre>
 * Always valid: every inconsistency is rejected naming the field (e.g. "model.out_channels").
 * A flat object of the reference's own flags (image_train.py / image_sample.py: num_channels,
 * learn_sigma, diffusion_steps, ...) is read too, with the reference's model construction, so the
 * settings of an original checkpoint can be written down as they were given.
 */
public record RunConfig(UNetConfig model, DiffusionSettings diffusion, TrainingSettings training, DataSettings data) {

    /** The name of the file that holds a config: in a run folder and in a model folder alike. */
    public static final String FILE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SECTIONS = Set.of("model", "diffusion", "training", "data");

    public RunConfig {
        int expectOut = model.inChannels() * (diffusion.learnSigma() ? 2 : 1);
        if (model.outChannels() != expectOut) {
            throw new InvalidConfigException("model.out_channels", "must be " + expectOut + " (in_channels "
                    + model.inChannels() + (diffusion.learnSigma() ? " x 2 for learn_sigma" : ", learn_sigma is off") + "), got "
                    + model.outChannels());
        }
        if (data.imageSize() != model.imageSize()) {
            throw new InvalidConfigException("data.image_size", "must equal model.image_size " + model.imageSize() + ", got " + data.imageSize());
        }
        if (data.channels() != model.inChannels()) {
            throw new InvalidConfigException("data.channels", "must equal model.in_channels " + model.inChannels() + ", got " + data.channels());
        }
        if (model.classConditional() && !training.classCond()) {
            throw new InvalidConfigException("training.class_cond", "is false but model.num_classes is " + model.numClasses());
        }
    }

    // ---------------------------------------------------------------- presets

    /** Named starting points for the CLI's --preset (case-insensitive). */
    public static Map<String, RunConfig> presets() {
        Map<String, RunConfig> m = new LinkedHashMap<>();
        m.put("tiny", tiny());
        m.put("lesson", lesson());
        // C=32 puts one channel in each GroupNorm group: predict x0, not epsilon (see warnings())
        RunConfig a = small(UNetPresets.presetA(), "mnist", 32);
        m.put("A", new RunConfig(a.model(), a.diffusion().withPredictXstart(true), a.training(), a.data()));
        m.put("B", small(UNetPresets.presetB(), "emoji", 32));
        m.put("cifar10", cifar10());
        return m;
    }

    public static RunConfig preset(String name) {
        for (Map.Entry<String, RunConfig> e : presets().entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.trim().toLowerCase(Locale.ROOT))) return e.getValue();
        }
        throw new InvalidConfigException("preset", "unknown preset '" + name + "' (known: " + presets().keySet() + ")");
    }

    /** 8x8 grayscale, C=32, two levels, one res block, batch 4: seconds per hundred steps, for tests and demos. */
    public static RunConfig tiny() {
        UNetConfig m = new UNetConfig(8, 1, 32, 1, 1, List.of(2), 0.0, List.of(1, 2), true, 0, 1, -1, true);
        DiffusionSettings d = DiffusionSettings.defaults().withSteps(100, "cosine");
        TrainingSettings t = TrainingSettings.defaults().with(4, 1e-3, List.of(0.99), true, 1, 50, 0);
        return new RunConfig(m, d, t, new DataSettings("mnist", 8, 1));
    }

    /**
     * The classroom run for a time budget (train --minutes, the Training pane's Minutes): real 28x28
     * digits within a lesson. The shipped digits model's architecture (C=32, mult 1,2,2, one res
     * block, attention at 7x7 with 4 heads, scale-shift norm, one class per digit, x0 prediction,
     * cosine 1000 steps) with the recipe the reference PyTorch code trains readable digits with in
     * 10 minutes on a 2-core CPU: batch 32, lr 2e-3 annealed to 0 over the budget (lr_anneal_steps
     * here only applies to runs given --steps alone), EMA 0.995 without warm-up. A DDIM-25 grid of
     * 16 every 100 steps lets the class watch digits form for a few percent of the time.
     */
    public static RunConfig lesson() {
        UNetConfig m = new UNetConfig(28, 1, 32, 1, 1, List.of(4), 0.0, List.of(1, 2, 2), true, 0, 4, -1, true);
        DiffusionSettings d = DiffusionSettings.defaults().withSteps(1000, "cosine").withPredictXstart(true);
        TrainingSettings t = TrainingSettings.defaults().with(32, 2e-3, List.of(0.995), false, 10, 500, 100)
                .withSampling(16, 25).withLrAnnealSteps(1700);
        return new RunConfig(m, d, t, new DataSettings("mnist", 28, 1)).classConditional(0);
    }

    /** Presets A and B: small models that learn bundled data on a CPU; EMA 0.999 with warm-up so samples improve early. */
    private static RunConfig small(UNetConfig m, String data, int batch) {
        DiffusionSettings d = DiffusionSettings.defaults().withSteps(1000, "cosine");
        TrainingSettings t = TrainingSettings.defaults().with(batch, 2e-4, List.of(0.999), true, 10, 500, 500);
        return new RunConfig(m, d, t, new DataSettings(data, m.imageSize(), m.inChannels()));
    }

    /**
     * Advice about a valid config. With model_channels 32 the output layer's GroupNorm (32 groups, as
     * in the reference) normalises every channel on its own, so the network cannot carry the mean
     * brightness of x_t to its output. An epsilon-predicting model then gets the mean of the noise
     * wrong, and the sampler amplifies that by 1/sqrt(alpha_bar) into white or black blobs; an
     * x0-predicting model does not need that mean (epsilon follows from x_t analytically).
     */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        int outChannels = model.modelChannels() * model.channelMult().get(0);
        if (outChannels <= UNetConfig.NORM_GROUPS && !diffusion.predictXstart()) {
            w.add("model_channels " + model.modelChannels() + " leaves one channel per GroupNorm group at the output, so an"
                    + " epsilon-predicting model cannot see the mean brightness of x_t and tends to sample white or black blobs;"
                    + " use diffusion.predict_xstart true or model_channels 64 or more");
        }
        return w;
    }

    /** The README's CIFAR-10 run: learn_sigma, cosine, 4000 steps, dropout 0.3, lr 1e-4, batch 128. */
    public static RunConfig cifar10() {
        DiffusionSettings d = DiffusionSettings.defaults().withSteps(4000, "cosine").withLearnSigma(true);
        TrainingSettings t = TrainingSettings.defaults().with(128, 1e-4, List.of(0.9999), false, 10, 10000, 10000);
        return new RunConfig(UNetPresets.cifar10(), d, t, new DataSettings("", 32, 3));
    }

    // ---------------------------------------------------------------- edits

    public RunConfig withTraining(TrainingSettings t) {
        return new RunConfig(model, diffusion, t, data);
    }

    public RunConfig withData(DataSettings d) {
        return new RunConfig(model, diffusion, training, d);
    }

    /** This config trained class-conditionally with {@code classes} classes (0: the dataset's count, taken when a run starts). */
    public RunConfig classConditional(int classes) {
        return withTraining(training.withClassCond(true)).withNumClasses(classes);
    }

    public RunConfig withNumClasses(int n) {
        return new RunConfig(model.withNumClasses(n), diffusion, training, data);
    }

    // ---------------------------------------------------------------- JSON

    public static RunConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new InvalidConfigException("config", "file " + file + " does not exist");
        return fromJson(Files.readString(file));
    }

    /** The reference's flags as pasted from its README ("--image_size 32 --num_channels 128 --learn_sigma True ..."). */
    public static RunConfig fromFlags(String line) {
        return ReferenceFlags.toRunConfig(ReferenceFlagLine.parse(line));
    }

    public static RunConfig fromJson(String text) {
        return fromJson(ConfigJson.parseObject(text));
    }

    public static RunConfig fromJson(ObjectNode o) {
        if (!o.has("model") && ReferenceFlags.looksLikeFlags(o)) return ReferenceFlags.toRunConfig(o);
        JsonFields f = new JsonFields(o, "", SECTIONS);
        ObjectNode m = f.object("model");
        if (m == null) throw new InvalidConfigException("model", "is required (the UNet configuration)");
        DiffusionSettings d = DiffusionSettings.fromJson(f.object("diffusion"));
        m = m.deepCopy();
        // out_channels follows learn_sigma unless written out
        if (!m.has("out_channels") && m.has("in_channels") && m.get("in_channels").canConvertToInt()) {
            m.put("out_channels", m.get("in_channels").asInt() * (d.learnSigma() ? 2 : 1));
        }
        UNetConfig model;
        try {
            model = UNetConfig.fromJson(m);
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException("model." + e.field(), e.getMessage().substring(e.field().length() + 2));
        }
        TrainingSettings t = TrainingSettings.fromJson(f.object("training"));
        DataSettings data = DataSettings.fromJson(f.object("data"), model.imageSize(), model.inChannels());
        return new RunConfig(model, d, t, data);
    }

    public ObjectNode toJsonNode() {
        ObjectNode o = JSON.createObjectNode();
        o.set("model", model.toJsonNode());
        o.set("diffusion", diffusion.toJson(JSON));
        o.set("training", training.toJson(JSON));
        o.set("data", data.toJson(JSON));
        return o;
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonNode()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The fields whose values differ ("training.lr: 0.0001 vs 0.0002"), empty when equal; used to
     * refuse resuming a run folder with another configuration.
     */
    public List<String> differences(RunConfig other) {
        List<String> out = new ArrayList<>();
        diff("", toJsonNode(), other.toJsonNode(), out);
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode x = a.get(k), y = b.get(k);
                String p = path.isEmpty() ? k : path + "." + k;
                if (x == null || y == null) out.add(p + ": " + x + " vs " + y);
                else diff(p, x, y, out);
            }
        } else if (!a.equals(b)) {
            out.add(path + ": " + a + " vs " + b);
        }
    }
}
