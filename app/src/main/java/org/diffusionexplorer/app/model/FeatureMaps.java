package org.diffusionexplorer.app.model;

import java.util.Map;

/** Activations of every block for one image and timestep, keyed by block id (batch element 0 only). */
public record FeatureMaps(int timestep, Map<String, ImageData> byBlock) {
}
