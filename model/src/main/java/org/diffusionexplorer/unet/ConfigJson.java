package org.diffusionexplorer.unet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Turns config text into a JSON object, or an {@link InvalidConfigException} on field "config". */
public final class ConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigJson() {}

    public static ObjectNode parseObject(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException("config", "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) throw new InvalidConfigException("config", "must be a JSON object");
        return (ObjectNode) root;
    }
}
