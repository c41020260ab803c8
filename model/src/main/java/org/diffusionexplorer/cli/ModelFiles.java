package org.diffusionexplorer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusionexplorer.io.AtomicFiles;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.unet.ConfigJson;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetConfig;

/** File handling shared by the model commands: config files, input arrays and atomic writes. */
final class ModelFiles {
    private ModelFiles() {}

    /**
     * Reads a UNet configuration: either UNetConfig's own JSON, or the reference-style layout of
     * golden/g1_config.json ({"image_size": .., "unet_kwargs": {...}, other keys ignored}).
     */
    static UNetConfig readConfig(Path file) throws IOException {
        requireFile(file, "config");
        return unetConfig(ConfigJson.parseObject(Files.readString(file)));
    }

    /** A parsed UNet config in either layout readConfig accepts. */
    static UNetConfig unetConfig(ObjectNode root) {
        if (root.has("unet_kwargs")) {
            JsonNode kw = root.get("unet_kwargs");
            if (!kw.isObject()) throw new InvalidConfigException("unet_kwargs", "must be a JSON object");
            ObjectNode merged = ((ObjectNode) kw).deepCopy();
            if (!merged.has("image_size") && root.has("image_size")) merged.set("image_size", root.get("image_size"));
            return UNetConfig.fromJson(merged);
        }
        return UNetConfig.fromJson(root);
    }

    static NpyArray readNpy(Path file, String what) throws IOException {
        requireFile(file, what);
        return Npy.read(file);
    }

    static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(what + " file " + file + " does not exist");
    }

    /** Writes through {@link AtomicFiles}, once the folder is known to exist. */
    static void writeAtomically(Path target, AtomicFiles.Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new IllegalArgumentException("output directory " + dir + " does not exist");
        AtomicFiles.write(abs, writer);
    }
}
