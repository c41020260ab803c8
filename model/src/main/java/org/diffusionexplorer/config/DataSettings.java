package org.diffusionexplorer.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * What the run learns from: {@code data_dir} is a folder or a bundled name (mnist, emoji), as the
 * reference's flag of that name; empty for imported weights. Images are read at image_size with
 * channels channels (1 = grayscale), which must match the model's input.
 */
public record DataSettings(String dataDir, int imageSize, int channels) {
    static final Set<String> KEYS = Set.of("data_dir", "image_size", "channels");

    public DataSettings {
        dataDir = dataDir == null ? "" : dataDir.trim();
        if (imageSize < 1) throw new InvalidConfigException("data.image_size", "must be positive, got " + imageSize);
        if (channels != 1 && channels != 3) throw new InvalidConfigException("data.channels", "must be 1 or 3, got " + channels);
    }

    public DataSettings withDataDir(String dir) {
        return new DataSettings(dir, imageSize, channels);
    }

    static DataSettings fromJson(ObjectNode o, int modelSize, int modelChannels) {
        if (o == null) return new DataSettings("", modelSize, modelChannels);
        JsonFields f = new JsonFields(o, "data", KEYS);
        return new DataSettings(f.text("data_dir", ""), f.integer("image_size", modelSize), f.integer("channels", modelChannels));
    }

    ObjectNode toJson(ObjectMapper json) {
        return json.createObjectNode().put("data_dir", dataDir).put("image_size", imageSize).put("channels", channels);
    }
}
