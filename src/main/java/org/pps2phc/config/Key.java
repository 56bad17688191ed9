package org.pps2phc.config;

/**
 * One config key: its type, default, where it may appear, and what it means.
 *
 * @param name         the key as written in the file
 * @param type         how its value is read and checked
 * @param defaultValue the value when the file does not set it, as text (parsed with {@code type})
 * @param scope        global only, or per device (with a global default)
 * @param unit         the unit of the value, or "" when it has none
 * @param live         whether SIGHUP applies a change without a restart
 * @param ignoredWhy   non-null: the key is accepted for ts2phc compatibility but has no effect, and this says why
 * @param meaning      one or two sentences for docs/configuration.md
 */
public record Key(String name, ValueType type, String defaultValue, Scope scope, String unit, boolean live,
                  String ignoredWhy, String meaning) {

    public boolean ignored() {
        return ignoredWhy != null;
    }

    public Object defaultParsed() {
        return type.parse(defaultValue);
    }
}
