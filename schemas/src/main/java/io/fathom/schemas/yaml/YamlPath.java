package io.fathom.schemas.yaml;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a node sits in a definitions file, written the way problems show it: {@code
 * views[2].features[0].window}. The root is the empty path.
 */
public final class YamlPath {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final YamlPath ROOT = new YamlPath(null, "");

    private final YamlPath parent;
    private final String text;

    private YamlPath(YamlPath parent, String text) {
        this.parent = parent;
        this.text = text;
    }

    public static YamlPath root() {
        return ROOT;
    }

    public YamlPath key(String key) {
        if (!PLAIN_KEY.matcher(key).matches()) {
            return new YamlPath(this, text + "[" + Quoting.quote(key) + "]");
        }
        return new YamlPath(this, isRoot() ? key : text + "." + key);
    }

    public YamlPath index(int index) {
        return new YamlPath(this, text + "[" + index + "]");
    }

    public boolean isRoot() {
        return parent == null;
    }

    public Optional<YamlPath> parent() {
        return Optional.ofNullable(parent);
    }

    int depth() {
        int depth = 0;
        for (YamlPath at = parent; at != null; at = at.parent) {
            depth++;
        }
        return depth;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof YamlPath that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
