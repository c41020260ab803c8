package org.diffusionexplorer.io.torch;

/**
 * What torch._utils._rebuild_tensor_v2 was asked for: a view of a storage with an element offset,
 * a size and a stride per dimension (element units, as torch counts them). Describing it is all
 * the unpickler does; {@link StridedCopy} turns it into values once the storage is read.
 */
public record TensorSpec(StorageRef storage, long offset, long[] size, long[] stride) {
}
