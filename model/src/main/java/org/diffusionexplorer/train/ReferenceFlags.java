package org.diffusionexplorer.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetConfig;

/**
 * The reference scripts' flat flags (image_train.py / image_sample.py, script_util defaults) as a
 * {@link RunConfig}, built as create_model does: channel_mult from image_size (32, 64, 256),
 * attention_resolutions in pixels turned into downsample factors, 3 input channels, 6 outputs with
 * learn_sigma, 1000 classes with class_cond.
 */
final class ReferenceFlags {
    private ReferenceFlags() {}

    static final Set<String> MODEL = Set.of("image_size", "num_channels", "num_res_blocks", "num_heads", "num_heads_upsample",
            "attention_resolutions", "dropout", "learn_sigma", "sigma_small", "class_cond", "diffusion_steps", "noise_schedule",
            "timestep_respacing", "use_kl", "predict_xstart", "rescale_timesteps", "rescale_learned_sigmas", "use_checkpoint",
            "use_scale_shift_norm");
    static final Set<String> TRAIN = Set.of("data_dir", "schedule_sampler", "lr", "weight_decay", "lr_anneal_steps", "batch_size",
            "microbatch", "ema_rate", "log_interval", "save_interval", "resume_checkpoint", "use_fp16", "fp16_scale_growth");
    /** image_sample.py flags: accepted, they describe sampling, not the run. */
    static final Set<String> SAMPLE = Set.of("clip_denoised", "num_samples", "use_ddim", "model_path");

    static boolean looksLikeFlags(ObjectNode o) {
        return o.has("num_channels") || o.has("diffusion_steps") || o.has("learn_sigma");
    }

    static RunConfig toRunConfig(ObjectNode o) {
        Set<String> known = new java.util.HashSet<>(MODEL);
        known.addAll(TRAIN);
        known.addAll(SAMPLE);
        JsonFields f = new JsonFields(o, "", known);
        int size = f.integer("image_size", 64);
        List<Integer> mult;
        switch (size) {
            case 256: mult = List.of(1, 1, 2, 2, 4, 4); break;
            case 64: mult = List.of(1, 2, 3, 4); break;
            case 32: mult = List.of(1, 2, 2, 2); break;
            default: throw new InvalidConfigException("image_size", "the reference scripts support 32, 64 and 256, got " + size);
        }
        List<Integer> attention = new ArrayList<>();
        String att = f.has("attention_resolutions") ? f.node("attention_resolutions").asText() : "16,8";
        for (String r : att.split(",")) {
            if (r.isBlank()) continue;
            try {
                attention.add(size / Integer.parseInt(r.trim()));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new InvalidConfigException("attention_resolutions", "must list pixel sizes like \"16,8\", got \"" + att + "\"");
            }
        }
        boolean learnSigma = f.bool("learn_sigma", false), classCond = f.bool("class_cond", false);
        if (f.bool("use_fp16", false)) throw new InvalidConfigException("use_fp16", "half precision is not supported (use False)");
        UNetConfig model = new UNetConfig(size, 3, f.integer("num_channels", 128), learnSigma ? 6 : 3, f.integer("num_res_blocks", 2),
                attention, f.number("dropout", 0.0), mult, true, classCond ? 1000 : 0, f.integer("num_heads", 4),
                f.integer("num_heads_upsample", -1), f.bool("use_scale_shift_norm", true));
        DiffusionSettings d = new DiffusionSettings(f.integer("diffusion_steps", 1000), f.text("noise_schedule", "linear"),
                learnSigma, f.bool("sigma_small", false), f.bool("use_kl", false), f.bool("predict_xstart", false),
                f.bool("rescale_timesteps", true), f.bool("rescale_learned_sigmas", true), f.text("timestep_respacing", ""));
        TrainingSettings t0 = TrainingSettings.defaults();
        List<Double> rates = f.has("ema_rate") ? (f.node("ema_rate").isNumber() ? List.of(f.node("ema_rate").asDouble())
                : TrainingSettings.parseRates(f.node("ema_rate").asText())) : t0.emaRate();
        TrainingSettings t = new TrainingSettings(f.number("lr", t0.lr()), f.number("weight_decay", t0.weightDecay()),
                f.longValue("lr_anneal_steps", 0), f.integer("batch_size", t0.batchSize()), f.integer("microbatch", -1), rates,
                false, f.text("schedule_sampler", "uniform"), f.integer("log_interval", t0.logInterval()),
                f.integer("save_interval", t0.saveInterval()), t0.sampleInterval(), t0.sampleCount(), t0.sampleSteps(),
                t0.keepCheckpoints(), t0.seed(), classCond);
        return new RunConfig(model, d, t, new DataSettings(f.text("data_dir", ""), size, 3));
    }
}
