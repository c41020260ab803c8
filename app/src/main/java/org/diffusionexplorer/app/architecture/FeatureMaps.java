package org.diffusionexplorer.app.architecture;

import java.util.Map;
import org.diffusionexplorer.app.view.ImageData;

/** Activations of every block for one image and timestep, keyed by block id (batch element 0 only). */
public record FeatureMaps(int timestep, Map<String, ImageData> byBlock) {
}
