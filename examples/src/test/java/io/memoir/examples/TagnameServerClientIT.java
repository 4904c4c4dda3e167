package io.memoir.examples;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Example 4: the tagname server and client as two JVMs on one store. */
class TagnameServerClientIT {
    private static final int COUNT = 5;
    private static final Duration END = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void shouldLetTheClientJvmReadTheServersMessages() throws InterruptedException {
        Messages.assertJvmPair(TagnameServerClient.class, "server", "client", dir.resolve("store").toString(), COUNT,
            200, END);
    }
}
