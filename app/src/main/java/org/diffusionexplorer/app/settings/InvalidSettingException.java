package org.diffusionexplorer.app.settings;

/** A preference value that cannot be used; the message starts with the field's name as the dialog shows it. */
public final class InvalidSettingException extends IllegalArgumentException {
    private final String field;

    public InvalidSettingException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    /** The field's name as the Preferences dialog labels it. */
    public String field() {
        return field;
    }
}
