package org.diffusionexplorer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetInfoCommandTest {
    @TempDir
    Path dir;

    private String run(int expectedExit, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(ps);
        System.setErr(ps);
        try {
            assertEquals(expectedExit, DiffusionCli.run(args), () -> buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void emojiWithGrid() throws Exception {
        Path grid = dir.resolve("grid.png");
        String out = run(0, "dataset-info", "--data", "emoji", "--grid", grid.toString(), "--grid-count", "16");
        assertTrue(out.contains("459 loaded, 0 skipped"), out);
        assertTrue(out.contains("animals (159), food (131), smileys (169)"), out);
        BufferedImage im = ImageIO.read(grid.toFile());
        assertEquals(4 * (64 + 2) + 2, im.getWidth());
    }

    @Test
    void folderWithBrokenFilesAndBadInput() throws Exception {
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("cat_1.png").toFile());
        Files.writeString(dir.resolve("dog_2.png"), "text");
        String out = run(0, "dataset-info", "--data", dir.toString(), "--size", "16");
        assertTrue(out.contains("1 loaded, 1 skipped"), out);
        assertTrue(out.contains("dog_2.png: not a PNG"), out);
        String bad = run(2, "dataset-info", "--data", dir.resolve("nope").toString());
        assertTrue(bad.startsWith("error: no such folder"), bad);
        assertFalse(bad.contains("Exception"), bad);
    }
}
