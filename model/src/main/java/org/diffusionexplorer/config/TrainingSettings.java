package org.diffusionexplorer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * The training loop's settings with image_train.py's names and defaults (lr 1e-4, weight_decay 0,
 * lr_anneal_steps 0, batch_size 1, microbatch -1, ema_rate "0.9999", log_interval 10,
 * save_interval 10000), plus what the reference has no flag for: EMA warm-up, sample grids, how many
 * checkpoints to keep and the seed of every random choice of the run.
 *
 * @param microbatch     rows per forward/backward pass; -1 (or 0) means the whole batch
 * @param emaRate        one or several rates ("0.9999,0.999" in the reference's flag syntax)
 * @param emaWarmup      rate min(rate, (1+n)/(10+n)) at update n, so small runs show progress early
 * @param sampleInterval steps between sample grids from the EMA weights; 0 = none
 * @param sampleSteps    DDIM steps of those grids (fewer than diffusion_steps: evenly respaced)
 */
public record TrainingSettings(double lr, double weightDecay, long lrAnnealSteps, int batchSize, int microbatch,
        List<Double> emaRate, boolean emaWarmup, String scheduleSampler, int logInterval, int saveInterval,
        int sampleInterval, int sampleCount, int sampleSteps, int keepCheckpoints, long seed, boolean classCond) {

    static final Set<String> KEYS = Set.of("lr", "weight_decay", "lr_anneal_steps", "batch_size", "microbatch", "ema_rate",
            "ema_warmup", "schedule_sampler", "log_interval", "save_interval", "sample_interval", "sample_count",
            "sample_steps", "keep_checkpoints", "seed", "class_cond");

    public TrainingSettings {
        if (!(lr > 0 && Double.isFinite(lr))) bad("lr", "must be a positive number, got " + lr);
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) bad("weight_decay", "must be >= 0, got " + weightDecay);
        if (lrAnnealSteps < 0) bad("lr_anneal_steps", "must be >= 0 (0 = no anneal), got " + lrAnnealSteps);
        if (batchSize < 1) bad("batch_size", "must be positive, got " + batchSize);
        if (microbatch == 0) microbatch = -1;
        if (microbatch < -1 || microbatch > batchSize) {
            bad("microbatch", "must be -1 (whole batch) or 1.." + batchSize + " (batch_size), got " + microbatch);
        }
        emaRate = List.copyOf(emaRate);
        if (emaRate.isEmpty()) bad("ema_rate", "needs at least one rate");
        for (double r : emaRate) if (!(r >= 0 && r < 1)) bad("ema_rate", "rates must lie in [0, 1), got " + r);
        if (emaRate.stream().distinct().count() != emaRate.size()) bad("ema_rate", "lists a rate twice: " + emaRate);
        if (!"uniform".equals(scheduleSampler) && !"loss-second-moment".equals(scheduleSampler)) {
            bad("schedule_sampler", "must be uniform or loss-second-moment, got '" + scheduleSampler + "'");
        }
        if (logInterval < 1) bad("log_interval", "must be positive, got " + logInterval);
        if (saveInterval < 1) bad("save_interval", "must be positive, got " + saveInterval);
        if (sampleInterval < 0) bad("sample_interval", "must be >= 0 (0 = no samples), got " + sampleInterval);
        if (sampleCount < 1) bad("sample_count", "must be positive, got " + sampleCount);
        if (sampleSteps < 1) bad("sample_steps", "must be positive, got " + sampleSteps);
        if (keepCheckpoints < 1) bad("keep_checkpoints", "must keep at least 1, got " + keepCheckpoints);
    }

    private static void bad(String key, String problem) {
        throw new InvalidConfigException("training." + key, problem);
    }

    public static TrainingSettings defaults() {
        return new TrainingSettings(1e-4, 0.0, 0, 1, -1, List.of(0.9999), false, "uniform", 10, 10000, 10000, 16, 50, 3, 0, false);
    }

    /** Rows per forward/backward pass. */
    public int microbatchRows() {
        return microbatch < 0 ? batchSize : microbatch;
    }

    /** The rates as checkpoint keys, in the reference's spelling ("0.9999"). */
    public List<String> emaNames() {
        return emaRate.stream().map(TrainingSettings::rateName).collect(Collectors.toList());
    }

    public static String rateName(double rate) {
        return Double.toString(rate);
    }

    public TrainingSettings with(int batch, double newLr, List<Double> rates, boolean warmup, int log, int save, int sample) {
        return new TrainingSettings(newLr, weightDecay, lrAnnealSteps, batch, microbatch > batch ? -1 : microbatch, rates, warmup,
                scheduleSampler, log, save, sample, sampleCount, sampleSteps, keepCheckpoints, seed, classCond);
    }

    /** Sample grids of {@code count} images drawn with {@code steps} DDIM steps. */
    public TrainingSettings withSampling(int count, int steps) {
        return new TrainingSettings(lr, weightDecay, lrAnnealSteps, batchSize, microbatch, emaRate, emaWarmup, scheduleSampler,
                logInterval, saveInterval, sampleInterval, count, steps, keepCheckpoints, seed, classCond);
    }

    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(lr, weightDecay, lrAnnealSteps, batchSize, microbatch, emaRate, emaWarmup, scheduleSampler,
                logInterval, saveInterval, sampleInterval, sampleCount, sampleSteps, keepCheckpoints, s, classCond);
    }

    public TrainingSettings withClassCond(boolean c) {
        return new TrainingSettings(lr, weightDecay, lrAnnealSteps, batchSize, microbatch, emaRate, emaWarmup, scheduleSampler,
                logInterval, saveInterval, sampleInterval, sampleCount, sampleSteps, keepCheckpoints, seed, c);
    }

    public TrainingSettings withLrAnnealSteps(long n) {
        return new TrainingSettings(lr, weightDecay, n, batchSize, microbatch, emaRate, emaWarmup, scheduleSampler,
                logInterval, saveInterval, sampleInterval, sampleCount, sampleSteps, keepCheckpoints, seed, classCond);
    }

    static TrainingSettings fromJson(ObjectNode o) {
        TrainingSettings d = defaults();
        if (o == null) return d;
        JsonFields f = new JsonFields(o, "training", KEYS);
        return new TrainingSettings(f.number("lr", d.lr), f.number("weight_decay", d.weightDecay),
                f.longValue("lr_anneal_steps", d.lrAnnealSteps), f.integer("batch_size", d.batchSize),
                f.integer("microbatch", d.microbatch), rates(f, d.emaRate), f.bool("ema_warmup", d.emaWarmup),
                f.text("schedule_sampler", d.scheduleSampler), f.integer("log_interval", d.logInterval),
                f.integer("save_interval", d.saveInterval), f.integer("sample_interval", d.sampleInterval),
                f.integer("sample_count", d.sampleCount), f.integer("sample_steps", d.sampleSteps),
                f.integer("keep_checkpoints", d.keepCheckpoints), f.longValue("seed", d.seed), f.bool("class_cond", d.classCond));
    }

    /** ema_rate as a number, a list of numbers or the reference's comma-separated string. */
    private static List<Double> rates(JsonFields f, List<Double> dflt) {
        if (!f.has("ema_rate")) return dflt;
        JsonNode n = f.node("ema_rate");
        if (n.isNumber()) return List.of(n.asDouble());
        if (n.isTextual()) return parseRates(n.asText());
        if (n.isArray()) {
            List<Double> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isNumber()) throw new InvalidConfigException("training.ema_rate", "must list numbers, got " + e);
                out.add(e.asDouble());
            }
            return out;
        }
        throw new InvalidConfigException("training.ema_rate", "must be a number, a list or \"0.9999,0.999\", got " + n);
    }

    /** "0.9999,0.999" -> [0.9999, 0.999]. */
    public static List<Double> parseRates(String text) {
        List<Double> out = new ArrayList<>();
        for (String s : text.split(",")) {
            if (s.isBlank()) continue;
            try {
                out.add(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("training.ema_rate", "must list numbers, got \"" + text + "\"");
            }
        }
        return out;
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode().put("lr", lr).put("weight_decay", weightDecay).put("lr_anneal_steps", lrAnnealSteps)
                .put("batch_size", batchSize).put("microbatch", microbatch)
                .put("ema_rate", String.join(",", emaNames())).put("ema_warmup", emaWarmup)
                .put("schedule_sampler", scheduleSampler).put("log_interval", logInterval).put("save_interval", saveInterval)
                .put("sample_interval", sampleInterval).put("sample_count", sampleCount).put("sample_steps", sampleSteps)
                .put("keep_checkpoints", keepCheckpoints).put("seed", seed).put("class_cond", classCond);
        return o;
    }
}
