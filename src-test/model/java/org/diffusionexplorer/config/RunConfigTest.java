package org.diffusionexplorer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffusionexplorer.diffusion.LossType;
import org.diffusionexplorer.diffusion.ModelMeanType;
import org.diffusionexplorer.diffusion.ModelVarType;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetPresets;
import org.junit.jupiter.api.Test;

class RunConfigTest {

    @Test
    void everyPresetSurvivesAJsonRoundTrip() {
        for (var e : RunConfig.presets().entrySet()) {
            RunConfig back = RunConfig.fromJson(e.getValue().toJson());
            assertEquals(e.getValue(), back, e.getKey());
            assertTrue(back.differences(e.getValue()).isEmpty());
        }
    }

    @Test
    void aOneChannelPerGroupEpsilonModelIsWarnedAbout() {
        assertEquals(1, RunConfig.tiny().warnings().size(), "tiny: C=32, epsilon");
        assertTrue(RunConfig.tiny().warnings().get(0).contains("predict_xstart"));
        assertTrue(RunConfig.preset("A").diffusion().predictXstart(), "preset A (C=32) predicts x0");
        assertTrue(RunConfig.preset("A").warnings().isEmpty());
        assertTrue(RunConfig.preset("B").warnings().isEmpty(), "B: C=64, two channels per group");
        assertTrue(RunConfig.cifar10().warnings().isEmpty());
    }

    @Test
    void defaultsAreTheReferenceScripts() {
        RunConfig c = RunConfig.fromJson("{\"model\": {\"image_size\": 32, \"in_channels\": 3, \"model_channels\": 64, \"num_res_blocks\": 2}}");
        TrainingSettings t = c.training();
        assertEquals(1e-4, t.lr());
        assertEquals(0.0, t.weightDecay());
        assertEquals(0, t.lrAnnealSteps());
        assertEquals(1, t.batchSize());
        assertEquals(-1, t.microbatch());
        assertEquals(List.of(0.9999), t.emaRate());
        assertEquals("uniform", t.scheduleSampler());
        assertEquals(10, t.logInterval());
        assertEquals(10000, t.saveInterval());
        DiffusionSettings d = c.diffusion();
        assertEquals(1000, d.diffusionSteps());
        assertEquals("linear", d.noiseSchedule());
        assertEquals(ModelVarType.FIXED_LARGE, d.varType());
        assertEquals(ModelMeanType.EPSILON, d.meanType());
        // as create_gaussian_diffusion: rescale_learned_sigmas picks RESCALED_MSE, the same as MSE for fixed variances
        assertEquals(LossType.RESCALED_MSE, d.lossType());
        assertTrue(d.rescaleTimesteps());
    }

    @Test
    void learnSigmaDoublesTheOutputChannelsAndLearnsTheRange() {
        RunConfig c = RunConfig.fromJson("{\"model\": {\"image_size\": 32, \"in_channels\": 3, \"model_channels\": 64,"
                + " \"num_res_blocks\": 1}, \"diffusion\": {\"learn_sigma\": true}, \"training\": {\"ema_rate\": \"0.9999,0.999\"}}");
        assertEquals(6, c.model().outChannels());
        assertEquals(ModelVarType.LEARNED_RANGE, c.diffusion().varType());
        assertEquals(LossType.RESCALED_MSE, c.diffusion().lossType());
        assertEquals(List.of("0.9999", "0.999"), c.training().emaNames());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> RunConfig.fromJson("{\"model\": {\"image_size\": 32,"
                + " \"in_channels\": 3, \"out_channels\": 3, \"model_channels\": 64, \"num_res_blocks\": 1}, \"diffusion\": {\"learn_sigma\": true}}"));
        assertEquals("model.out_channels", e.field());
    }

    @Test
    void theReferenceFlagsBuildTheReadmeCifarModel() {
        RunConfig c = RunConfig.fromJson("{\"image_size\": 32, \"num_channels\": 128, \"num_res_blocks\": 3, \"learn_sigma\": \"True\","
                + " \"dropout\": 0.3, \"diffusion_steps\": 4000, \"noise_schedule\": \"cosine\", \"lr\": 1e-4, \"batch_size\": 128}");
        assertEquals(UNetPresets.cifar10(), c.model());
        assertEquals(4000, c.diffusion().diffusionSteps());
        assertEquals(128, c.training().batchSize());
    }

    @Test
    void invalidValuesNameTheirField() {
        String model = "\"model\": {\"image_size\": 8, \"in_channels\": 1, \"model_channels\": 32, \"num_res_blocks\": 1, \"channel_mult\": [1, 2]}";
        String[][] cases = {
            {"\"training\": {\"lr\": 0}", "training.lr"},
            {"\"training\": {\"batch_size\": 4, \"microbatch\": 8}", "training.microbatch"},
            {"\"training\": {\"ema_rate\": \"0.99,1.5\"}", "training.ema_rate"},
            {"\"training\": {\"schedule_sampler\": \"importance\"}", "training.schedule_sampler"},
            {"\"training\": {\"learning_rate\": 1}", "training.learning_rate"},
            {"\"diffusion\": {\"noise_schedule\": \"sqrt\"}", "diffusion.noise_schedule"},
            {"\"diffusion\": {\"diffusion_steps\": 10}", "diffusion.diffusion_steps"},
            {"\"diffusion\": {\"timestep_respacing\": \"ddim7000\"}", "diffusion.timestep_respacing"},
            {"\"data\": {\"channels\": 3}", "data.channels"},
            {"\"diffusion\": {\"diffusion_steps\": 2000000000}", "diffusion.diffusion_steps"},
            {"\"training\": {\"batch_size\": 1e10}", "training.batch_size"},
            {"\"training\": {\"seed\": 1e300}", "training.seed"},
            {"\"data\": {\"image_size\": 16}", "data.image_size"},
        };
        for (String[] c : cases) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> RunConfig.fromJson("{" + model + ", " + c[0] + "}"), c[0]);
            assertEquals(c[1], e.field(), e.getMessage());
        }
        InvalidConfigException m = assertThrows(InvalidConfigException.class,
                () -> RunConfig.fromJson("{\"model\": {\"image_size\": 8, \"in_channels\": 1, \"model_channels\": 20, \"num_res_blocks\": 1}}"));
        assertEquals("model.model_channels", m.field());
    }

    @Test
    void differencesNameTheChangedFields() {
        RunConfig a = RunConfig.tiny();
        RunConfig b = a.withTraining(a.training().withSeed(3));
        assertEquals(List.of("training.seed: 0 vs 3"), a.differences(b));
    }
}
