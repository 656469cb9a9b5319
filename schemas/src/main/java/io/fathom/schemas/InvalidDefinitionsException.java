package io.fathom.schemas;

import io.fathom.schemas.yaml.InvalidYamlException;
import java.util.List;

/** A definitions file has problems; each names its path, e.g. {@code views[2].features[0].window: "1hr" is not a duration}. */
public final class InvalidDefinitionsException extends InvalidYamlException {
    public InvalidDefinitionsException(String file, List<String> problems) {
        super(file, problems);
    }
}
