package org.diffusionexplorer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.diffusionexplorer.nn.ParamSpec;
import org.diffusionexplorer.testutil.Golden;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;
import org.diffusionexplorer.unet.UNetPresets;
import org.junit.jupiter.api.Test;

/** The reference's flags pasted as its README writes them build the same run config as the flags as JSON. */
class ReferenceFlagLineTest {

    /** improved-diffusion's README, the CIFAR-10 model, as a user copies it (three shell lines). */
    static final String README_CIFAR = "MODEL_FLAGS=\"--image_size 32 --num_channels 128 --num_res_blocks 3 --learn_sigma True --dropout 0.3\"\n"
            + "DIFFUSION_FLAGS=\"--diffusion_steps 4000 --noise_schedule cosine\"\n"
            + "TRAIN_FLAGS=\"--lr 1e-4 --batch_size 128\"\n";

    @Test
    void theReadmeCifarLinesBuildTheCifarModel() throws Exception {
        RunConfig c = RunConfig.fromFlags(README_CIFAR);
        assertEquals(UNetPresets.cifar10(), c.model());
        // cifar10_keys.txt lists the reference's tensors for these flags: the same names and count
        List<String> names = Files.readAllLines(Golden.file("cifar10_keys.txt")).stream().filter(l -> !l.startsWith("#"))
                .map(l -> l.split("\t")[0]).toList();
        assertEquals(names, UNetModel.parameterSpecs(c.model()).stream().map(ParamSpec::name).toList());
        assertEquals(52_546_438L, UNetModel.parameterSpecs(c.model()).stream().mapToLong(ParamSpec::numel).sum());
        assertEquals(4000, c.diffusion().diffusionSteps());
        assertEquals("cosine", c.diffusion().noiseSchedule());
        assertTrue(c.diffusion().learnSigma());
        assertEquals(0.3, c.model().dropout());
        assertEquals(1e-4, c.training().lr());
        assertEquals(128, c.training().batchSize());
        // the same flags as JSON (what import-weights --config already took) give the same config
        RunConfig json = RunConfig.fromJson("{\"image_size\": 32, \"num_channels\": 128, \"num_res_blocks\": 3, \"learn_sigma\": true,"
                + " \"dropout\": 0.3, \"diffusion_steps\": 4000, \"noise_schedule\": \"cosine\", \"lr\": 1e-4, \"batch_size\": 128}");
        assertEquals(List.of(), c.differences(json));
    }

    @Test
    void argparseSpellingsAreAccepted() {
        RunConfig a = RunConfig.fromFlags("--image_size=64 --num_channels 64 --learn_sigma yes --class_cond 0 --attention_resolutions '16,8'"
                + " \\\n --use_scale_shift_norm F --ema_rate 0.9999,0.999 --lr_anneal_steps 1_000 --timestep_respacing ddim50");
        assertEquals(64, a.model().imageSize());
        assertEquals(64, a.model().modelChannels());
        assertTrue(a.diffusion().learnSigma());
        assertEquals(0, a.model().numClasses());
        assertEquals(List.of(4, 8), a.model().attentionResolutions());
        assertEquals(false, a.model().useScaleShiftNorm());
        assertEquals(List.of("0.9999", "0.999"), a.training().emaNames());
        assertEquals(1000, a.training().lrAnnealSteps());
        assertEquals("ddim50", a.diffusion().timestepRespacing());
        // omitted flags take script_util's defaults, as the reference's argparse does
        RunConfig d = RunConfig.fromFlags("--image_size 64");
        assertEquals(128, d.model().modelChannels());
        assertEquals(2, d.model().numResBlocks());
        assertEquals(1000, d.diffusion().diffusionSteps());
        assertEquals("linear", d.diffusion().noiseSchedule());
    }

    @Test
    void unknownFlagsAndBadValuesAreRefusedNamingTheFlag() {
        String[][] cases = {
            {"--image_size 32 --num_channel 128", "--num_channel", "not a flag"},
            {"--image_size big", "--image_size", "integer"},
            {"--image_size 32 --dropout lots", "--dropout", "number"},
            {"--image_size 32 --dropout nan", "--dropout", "number"},
            {"--image_size 32 --learn_sigma maybe", "--learn_sigma", "True or False"},
            {"--image_size 32 --learn_sigma", "--learn_sigma", "needs a value"},
            {"--image_size 32 --learn_sigma --dropout 0.3", "--learn_sigma", "needs a value"},
            {"--image_size 32 --image_size 64", "--image_size", "twice"},
            {"--image_size 48", "image_size", "32, 64 and 256"},
            {"--image_size 32 --use_fp16 True", "use_fp16", "half precision"},
            {"--image_size 32 --noise_schedule sqrt", "diffusion.noise_schedule", "sqrt"},
            {"python scripts/image_train.py --image_size 32", "flags", "'python'"},
            {"--image_size '32", "flags", "unclosed"},
            {"   ", "flags", "empty"},
        };
        for (String[] c : cases) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> RunConfig.fromFlags(c[0]), c[0]);
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(c[2]), c[0] + " -> " + e.getMessage());
        }
    }
}
