package io.fathom.app.config;

import io.fathom.schemas.yaml.InvalidYamlException;
import java.util.List;

/** A run configuration has problems: every one is listed, each naming the key and the value. */
public final class InvalidConfigException extends InvalidYamlException {
    public InvalidConfigException(String source, List<String> problems) {
        super(source, problems);
    }
}
