package org.diffusionexplorer.io.torch;

import java.util.Optional;

/**
 * The storage classes a state_dict's pickle may name (torch.FloatStorage, ...): the element type
 * of the raw bytes in {@code data/<key>}. Only ever looked up by name, never called.
 */
public enum StorageType {
    FLOAT("FloatStorage", 4, true),
    HALF("HalfStorage", 2, true),
    BFLOAT16("BFloat16Storage", 2, true),
    DOUBLE("DoubleStorage", 8, true),
    LONG("LongStorage", 8, false),
    INT("IntStorage", 4, false),
    SHORT("ShortStorage", 2, false),
    CHAR("CharStorage", 1, false),
    BYTE("ByteStorage", 1, false),
    BOOL("BoolStorage", 1, false);

    /** The class name in module {@code torch}. */
    public final String pythonName;
    public final int bytes;
    public final boolean floating;

    StorageType(String pythonName, int bytes, boolean floating) {
        this.pythonName = pythonName;
        this.bytes = bytes;
        this.floating = floating;
    }

    static Optional<StorageType> byName(String name) {
        for (StorageType t : values()) if (t.pythonName.equals(name)) return Optional.of(t);
        return Optional.empty();
    }
}
