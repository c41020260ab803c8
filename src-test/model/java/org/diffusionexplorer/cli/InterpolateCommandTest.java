package org.diffusionexplorer.cli;

import static org.diffusionexplorer.cli.RunCommandsTest.assertOneLineError;
import static org.diffusionexplorer.cli.RunCommandsTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.diffusionexplorer.cli.RunCommandsTest.Result;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** interpolate on the bundled digits model: its two ends are what sample draws from each seed. */
class InterpolateCommandTest {
    /** Batch 5 against batch 1 may sum in another order inside the UNet: float32 rounding, nothing more. */
    private static final float BIT_CLOSE = 1e-5f;

    @TempDir
    Path dir;

    private float[] sampleOne(long seed, String... more) throws Exception {
        Path npy = dir.resolve("s" + seed + more.length + ".npy");
        String[] base = {"sample", "--model", "digits", "--sampler", "ddim", "--steps", "4", "--n", "1", "--seed", Long.toString(seed),
            "--out", dir.resolve("s" + seed + ".png").toString(), "--npy", npy.toString()};
        String[] args = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        Result r = cli(args);
        assertEquals(0, r.code(), r.err());
        return Npy.read(npy).toFloats();
    }

    private static float[] row(float[] all, int i, int per) {
        return Arrays.copyOfRange(all, i * per, (i + 1) * per);
    }

    @Test
    void theEndsAreTheSamplesOfEachSeed() throws Exception {
        Path png = dir.resolve("strip.png"), npy = dir.resolve("strip.npy");
        Result r = cli("interpolate", "--model", "digits", "--seeds", "3,8", "--n", "5", "--steps", "4", "--out", png.toString(),
                "--npy", npy.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 images from seed 3 to seed 8"), r.out());
        NpyArray strip = Npy.read(npy);
        assertArrayEquals(new long[] {5, 1, 28, 28}, strip.shape());
        float[] all = strip.toFloats();
        int per = 28 * 28;
        float[] a = sampleOne(3), b = sampleOne(8);
        assertArrayEquals(a, row(all, 0, per), BIT_CLOSE);
        assertArrayEquals(b, row(all, 4, per), BIT_CLOSE);
        // the middle is neither end: the walk goes somewhere
        float[] mid = row(all, 2, per);
        double da = 0, db = 0;
        for (int i = 0; i < per; i++) {
            da = Math.max(da, Math.abs(mid[i] - a[i]));
            db = Math.max(db, Math.abs(mid[i] - b[i]));
        }
        assertTrue(da > 0.1 && db > 0.1, "middle image differs from both ends: " + da + ", " + db);
        BufferedImage im = ImageIO.read(png.toFile());
        assertTrue(im.getWidth() > 4 * im.getHeight(), "one row: " + im.getWidth() + "x" + im.getHeight());
    }

    @Test
    void aClassIsAskedOfEveryImageAsSampleAsksIt() throws Exception {
        Path npy = dir.resolve("c.npy");
        assertEquals(0, cli("interpolate", "--model", "digits", "--seeds", "11,12", "--n", "3", "--steps", "4", "--class", "7",
                "--out", dir.resolve("c.png").toString(), "--npy", npy.toString()).code());
        float[] all = Npy.read(npy).toFloats();
        assertArrayEquals(sampleOne(11, "--class", "7"), row(all, 0, 28 * 28), BIT_CLOSE);
        assertArrayEquals(sampleOne(12, "--class", "7"), row(all, 2, 28 * 28), BIT_CLOSE);
    }

    @Test
    void badOptionsNameTheFlag() {
        String out = dir.resolve("x.png").toString();
        assertOneLineError(cli("interpolate", "--model", "digits", "--seeds", "3", "--out", out), "seeds");
        assertOneLineError(cli("interpolate", "--model", "digits", "--seeds", "3,x", "--out", out), "seeds", "'x'");
        assertOneLineError(cli("interpolate", "--model", "digits", "--seeds", "3,4", "--n", "1", "--out", out), "n:");
        assertOneLineError(cli("interpolate", "--model", "digits", "--seeds", "3,4", "--steps", "0", "--out", out), "steps");
        assertOneLineError(cli("interpolate", "--model", "digits", "--seeds", "3,4", "--steps", "2000", "--out", out), "respace");
        assertOneLineError(cli("interpolate", "--model", "digits", "--seeds", "3,4", "--class", "10", "--steps", "2", "--out", out),
                "class", "0..9");
        assertOneLineError(cli("interpolate", "--model", "digits", "--seeds", "3,4", "--class", "-2", "--out", out), "class");
        assertOneLineError(cli("interpolate", "--seeds", "3,4", "--out", out), "--model");
        assertOneLineError(cli("sample", "--model", "digits", "--class", "-1", "--out", out), "class");
    }
}
