package org.diffusionexplorer.app.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed figure's interleaved layout of the sinusoidal embedding (moved here from ArchitectureAdapterTest). */
class SinusoidalEmbeddingTest {

    @Test
    void interleavingPutsSinesAtEvenIndices() {
        double[][] ref = {{1, 2, 3, 4, 0}}; // cos0 cos1 | sin0 sin1 | pad
        assertEquals(List.of(3.0, 1.0, 4.0, 2.0, 0.0),
                Arrays.stream(SinusoidalEmbedding.interleave(ref)[0]).boxed().toList());
        EmbeddingLayout l = EmbeddingLayout.INTERLEAVED_SIN_COS;
        assertEquals(true, l.isSine(2, 5));
        assertEquals(1, l.frequencyIndex(3, 5));
        assertEquals(-1, l.frequencyIndex(4, 5));
    }
}
