package io.memoir.bench;

import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.wire.SelfDescribingMarshallable;

/** {@link ConfigShare}'s config as a typed Chronicle Wire object: the same content, fields instead of keys. */
public final class TypedConfig extends SelfDescribingMarshallable {
    String service;
    long version;
    boolean enabled;
    double ratio;
    List<Host> hosts = new ArrayList<>();
    long rps;
    long burst;
    long timeoutMs;
    String owner;

    /** One backend host. */
    public static final class Host extends SelfDescribingMarshallable {
        String host;
        long port;
        double weight;
        List<String> tags = new ArrayList<>();
    }

    /** The config's content, as ConfigShare's map holds it. */
    public static TypedConfig sample() {
        final TypedConfig c = new TypedConfig();
        c.service = "billing-gateway";
        c.version = 42;
        c.enabled = true;
        c.ratio = 0.75;
        for (int i = 0; i < 8; i++) {
            final Host h = new Host();
            h.host = "node-" + i + ".example.internal";
            h.port = 8000 + i;
            h.weight = 1.0 / (i + 1);
            h.tags.add("zone-" + (i % 3));
            h.tags.add("rack-" + i);
            c.hosts.add(h);
        }
        c.rps = 5000;
        c.burst = 200;
        c.timeoutMs = 250;
        c.owner = "platform-team@example.internal";
        return c;
    }
}
