package org.diffusionexplorer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real files of many kinds (JPEG baseline/progressive/4:4:4/gray/CMYK, palette PNG and GIF,
 * gray-ramp GIF, 1/2/4/16-bit PNG, tRNS colour keys, RGBA, LA) decoded with ImageIO and
 * preprocessed must give exactly the bytes Pillow gives (src-test/model/pil/pil_files.py made
 * both the files and files/expected.txt).
 */
class PilFilesTest {

    static Path filesDir() {
        for (Path p : List.of(Path.of("../src-test/model/pil/files"), Path.of("src-test/model/pil/files"))) {
            if (Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException("src-test/model/pil/files not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void decodingAndPreprocessingMatchPillow() throws Exception {
        Path dir = filesDir();
        List<String> lines = Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.UTF_8);
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] f = line.split(" ");
            int size = Integer.parseInt(f[2]);
            Image8 im = ImageDecoder.read(dir.resolve(f[0]), ImageDecoder.DEFAULT_MAX_PIXELS, size);
            String got = HexFormat.of().formatHex(Preprocess.toCHW(im, size, 3));
            checked++;
            if (!got.equals(f[3])) {
                int diff = 0, max = 0;
                byte[] a = HexFormat.of().parseHex(got), b = HexFormat.of().parseHex(f[3]);
                for (int i = 0; i < a.length; i++) {
                    int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
                    if (d > 0) diff++;
                    max = Math.max(max, d);
                }
                mismatches.add(f[0] + " (Pillow mode " + f[1] + ", ours " + im.mode + "): " + diff + " values differ, max " + max);
            }
        }
        assertTrue(checked >= 17, "cases checked: " + checked);
        assertEquals(List.of(), mismatches);
    }
}
