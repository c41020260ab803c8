package org.diffusionexplorer.app.embedding;

/** How the sines and cosines of the timestep embedding are arranged along the dimension axis. */
public enum EmbeddingLayout {
    /** improved-diffusion's timestep_embedding: all cosines first, then all sines. */
    REFERENCE_COS_SIN,
    /** The seed document's figure: even index = sin(w_k t), odd index = cos(w_k t). */
    INTERLEAVED_SIN_COS;

    /** Frequency index k and whether column {@code index} holds a sine, for a {@code dim}-wide embedding; k = -1 for the zero pad column. */
    public int frequencyIndex(int index, int dim) {
        int half = dim / 2;
        if (index >= 2 * half) return -1;
        return this == REFERENCE_COS_SIN ? index % half : index / 2;
    }

    public boolean isSine(int index, int dim) {
        int half = dim / 2;
        if (index >= 2 * half) return false;
        return this == REFERENCE_COS_SIN ? index >= half : index % 2 == 0;
    }
}
