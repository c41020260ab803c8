package org.diffusionexplorer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one tiler's layout: where each tile lands, the gaps, the border, and a group starting a new row. */
class ImageGridTest {
    private static final int BG = 9;

    private static int[] tile(int v) {
        return new int[] {v, v + 1, v + 2, v + 3}; // 2 x 2, row by row
    }

    @Test
    void tilesWrapAfterTheColumnsWithGapsAndBorder() {
        ImageGrid.Sheet s = ImageGrid.tile(List.of(List.of(tile(10), tile(20), tile(30))), 2, 2,
                ImageGrid.columns(3), 1, 1, BG);
        // 2 columns, 2 lines: 1 + 2 + 1 + 2 + 1 = 7 by 7
        assertEquals(7, s.width());
        assertEquals(7, s.height());
        int[] expected = {
            BG, BG, BG, BG, BG, BG, BG,
            BG, 10, 11, BG, 20, 21, BG,
            BG, 12, 13, BG, 22, 23, BG,
            BG, BG, BG, BG, BG, BG, BG,
            BG, 30, 31, BG, BG, BG, BG,
            BG, 32, 33, BG, BG, BG, BG,
            BG, BG, BG, BG, BG, BG, BG};
        assertArrayEquals(expected, s.pixels());
    }

    @Test
    void eachGroupStartsANewRowWithoutBorder() {
        ImageGrid.Sheet s = ImageGrid.tile(List.of(List.of(tile(10)), List.of(tile(20))), 2, 2, 2, 1, 0, BG);
        assertEquals(5, s.width());
        assertEquals(5, s.height());
        assertArrayEquals(new int[] {10, 11, BG, BG, BG}, java.util.Arrays.copyOfRange(s.pixels(), 0, 5));
        assertArrayEquals(new int[] {BG, BG, BG, BG, BG}, java.util.Arrays.copyOfRange(s.pixels(), 10, 15));
        assertArrayEquals(new int[] {20, 21, BG, BG, BG}, java.util.Arrays.copyOfRange(s.pixels(), 15, 20));
    }

    @Test
    void aTileOfTheWrongSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.tile(List.of(List.of(new int[3])), 2, 2, 1, 1, 0, BG));
        assertEquals("tile 0 has 3 pixels, not 2x2", e.getMessage());
    }

    @Test
    void columnsMakeANearSquare() {
        assertEquals(1, ImageGrid.columns(1));
        assertEquals(2, ImageGrid.columns(4));
        assertEquals(3, ImageGrid.columns(5));
        assertEquals(4, ImageGrid.columns(16));
    }
}
