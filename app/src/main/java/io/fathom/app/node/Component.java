package io.fathom.app.node;

import java.util.Arrays;
import java.util.Optional;

/** The parts of Fathom one process can run. */
public enum Component {
    INGEST("ingest"),
    ONLINE_WRITER("online-writer"),
    OFFLINE_WRITER("offline-writer"),
    MONITOR("monitor"),
    ALERT_DISPATCHER("alert-dispatcher"),
    API("api");

    private final String cliName;

    Component(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Optional<Component> fromCliName(String name) {
        return Arrays.stream(values()).filter(c -> c.cliName.equals(name)).findFirst();
    }
}
