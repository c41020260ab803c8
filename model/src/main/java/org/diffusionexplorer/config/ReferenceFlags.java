package org.diffusionexplorer.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** How argparse reads each flag (add_dict_to_argparser: the default's type, str2bool for booleans). */
    enum Kind { BOOL, INT, FLOAT, TEXT }

    /** Every flag of image_train.py and image_sample.py, with its kind: model and diffusion, training, sampling. */
    static final Map<String, Kind> FLAGS = kinds(
            "image_size I num_channels I num_res_blocks I num_heads I num_heads_upsample I attention_resolutions T dropout F"
            + " learn_sigma B sigma_small B class_cond B diffusion_steps I noise_schedule T timestep_respacing T use_kl B"
            + " predict_xstart B rescale_timesteps B rescale_learned_sigmas B use_checkpoint B use_scale_shift_norm B",
            // image_train.py
            "data_dir T schedule_sampler T lr F weight_decay F lr_anneal_steps I batch_size I microbatch I ema_rate T"
            + " log_interval I save_interval I resume_checkpoint T use_fp16 B fp16_scale_growth F",
            // image_sample.py: accepted, they describe sampling, not the run
            "clip_denoised B num_samples I use_ddim B model_path T");

    private static Map<String, Kind> kinds(String... groups) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (String g : groups) {
            String[] t = g.trim().split("\\s+");
            for (int i = 0; i < t.length; i += 2) {
                m.put(t[i], switch (t[i + 1]) { case "B" -> Kind.BOOL; case "I" -> Kind.INT; case "F" -> Kind.FLOAT; default -> Kind.TEXT; });
            }
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    static boolean looksLikeFlags(ObjectNode o) {
        return o.has("num_channels") || o.has("diffusion_steps") || o.has("learn_sigma");
    }

    static RunConfig toRunConfig(ObjectNode o) {
        JsonFields f = new JsonFields(o, "", FLAGS.keySet());
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
