package org.diffusionexplorer.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.LossType;
import org.diffusionexplorer.diffusion.ModelMeanType;
import org.diffusionexplorer.diffusion.ModelVarType;
import org.diffusionexplorer.diffusion.NoiseSchedule;
import org.diffusionexplorer.diffusion.Respacing;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * The diffusion half of the reference's model_and_diffusion_defaults, with its names and defaults,
 * mapped to the process as create_gaussian_diffusion does: learn_sigma gives LEARNED_RANGE (and twice
 * the output channels), else sigma_small picks FIXED_SMALL over FIXED_LARGE; use_kl gives RESCALED_KL,
 * else rescale_learned_sigmas gives RESCALED_MSE; predict_xstart gives START_X over EPSILON.
 */
public record DiffusionSettings(int diffusionSteps, String noiseSchedule, boolean learnSigma, boolean sigmaSmall,
        boolean useKl, boolean predictXstart, boolean rescaleTimesteps, boolean rescaleLearnedSigmas,
        String timestepRespacing) {

    /**
     * Upper bound of diffusion_steps: the reference uses 1000 to 4000; the schedule arrays are built
     * eagerly, so an absurd count must be refused before it becomes gigabytes of betas.
     */
    public static final int MAX_STEPS = 100_000;

    static final Set<String> KEYS = Set.of("diffusion_steps", "noise_schedule", "learn_sigma", "sigma_small", "use_kl",
            "predict_xstart", "rescale_timesteps", "rescale_learned_sigmas", "timestep_respacing");

    public DiffusionSettings {
        timestepRespacing = timestepRespacing == null ? "" : timestepRespacing.trim();
        if (diffusionSteps < 1 || diffusionSteps > MAX_STEPS) {
            throw new InvalidConfigException("diffusion.diffusion_steps", "must be between 1 and " + MAX_STEPS + ", got " + diffusionSteps);
        }
        NoiseSchedule schedule;
        try {
            schedule = NoiseSchedule.parse(noiseSchedule);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("diffusion.noise_schedule", e.getMessage());
        }
        noiseSchedule = schedule.name().toLowerCase(java.util.Locale.ROOT);
        try {
            schedule.betas(diffusionSteps);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("diffusion.diffusion_steps", e.getMessage());
        }
        try {
            Respacing.spaceTimesteps(diffusionSteps, timestepRespacing);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("diffusion.timestep_respacing", e.getMessage());
        }
    }

    /** The reference defaults (script_util.model_and_diffusion_defaults). */
    public static DiffusionSettings defaults() {
        return new DiffusionSettings(1000, "linear", false, false, false, false, true, true, "");
    }

    public ModelVarType varType() {
        return learnSigma ? ModelVarType.LEARNED_RANGE : sigmaSmall ? ModelVarType.FIXED_SMALL : ModelVarType.FIXED_LARGE;
    }

    public ModelMeanType meanType() {
        return predictXstart ? ModelMeanType.START_X : ModelMeanType.EPSILON;
    }

    public LossType lossType() {
        return useKl ? LossType.RESCALED_KL : rescaleLearnedSigmas ? LossType.RESCALED_MSE : LossType.MSE;
    }

    /** The training process (with timestep_respacing, as the reference trains). */
    public GaussianDiffusion build() {
        return build(timestepRespacing);
    }

    /** The same process with another respacing, e.g. "50" or "ddim25" for faster sampling. */
    public GaussianDiffusion build(String respacing) {
        return GaussianDiffusion.builder().schedule(NoiseSchedule.parse(noiseSchedule)).steps(diffusionSteps)
                .respacing(respacing).meanType(meanType()).varType(varType()).lossType(lossType())
                .rescaleTimesteps(rescaleTimesteps).build();
    }

    public DiffusionSettings withSteps(int steps, String schedule) {
        return new DiffusionSettings(steps, schedule, learnSigma, sigmaSmall, useKl, predictXstart, rescaleTimesteps,
                rescaleLearnedSigmas, timestepRespacing);
    }

    public DiffusionSettings withLearnSigma(boolean on) {
        return new DiffusionSettings(diffusionSteps, noiseSchedule, on, sigmaSmall, useKl, predictXstart, rescaleTimesteps,
                rescaleLearnedSigmas, timestepRespacing);
    }

    public DiffusionSettings withPredictXstart(boolean on) {
        return new DiffusionSettings(diffusionSteps, noiseSchedule, learnSigma, sigmaSmall, useKl, on, rescaleTimesteps,
                rescaleLearnedSigmas, timestepRespacing);
    }

    static DiffusionSettings fromJson(ObjectNode o) {
        DiffusionSettings d = defaults();
        if (o == null) return d;
        JsonFields f = new JsonFields(o, "diffusion", KEYS);
        return new DiffusionSettings(f.integer("diffusion_steps", d.diffusionSteps), f.text("noise_schedule", d.noiseSchedule),
                f.bool("learn_sigma", d.learnSigma), f.bool("sigma_small", d.sigmaSmall), f.bool("use_kl", d.useKl),
                f.bool("predict_xstart", d.predictXstart), f.bool("rescale_timesteps", d.rescaleTimesteps),
                f.bool("rescale_learned_sigmas", d.rescaleLearnedSigmas), f.text("timestep_respacing", d.timestepRespacing));
    }

    ObjectNode toJson(ObjectMapper json) {
        return json.createObjectNode().put("diffusion_steps", diffusionSteps).put("noise_schedule", noiseSchedule)
                .put("learn_sigma", learnSigma).put("sigma_small", sigmaSmall).put("use_kl", useKl)
                .put("predict_xstart", predictXstart).put("rescale_timesteps", rescaleTimesteps)
                .put("rescale_learned_sigmas", rescaleLearnedSigmas).put("timestep_respacing", timestepRespacing);
    }
}
