package org.diffusionexplorer.unet;

/** A configuration value that cannot work; {@link #field()} names the offending key. */
public class InvalidConfigException extends IllegalArgumentException {
    private final String field;

    public InvalidConfigException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
