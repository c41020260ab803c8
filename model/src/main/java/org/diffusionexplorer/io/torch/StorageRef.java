package org.diffusionexplorer.io.torch;

/**
 * A storage as the pickle's persistent id describes it: ('storage', torch.FloatStorage, key,
 * location, numel). The bytes are in the zip entry {@code data/<key>}; {@code location} is where
 * the tensor lived when saved ("cpu", "cuda:0"), kept for messages only: every storage loads on the CPU.
 */
public record StorageRef(StorageType type, String key, String location, long numel) {
}
