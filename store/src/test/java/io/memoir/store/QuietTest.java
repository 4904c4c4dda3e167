package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chronicle's analytics can never run: the library is not on the class path and its switches are off. */
class QuietTest {
    @TempDir
    Path dir;

    @Test
    void shouldHaveNoAnalyticsOnTheClassPath() {
        assertNull(getClass().getClassLoader().getResource("net/openhft/chronicle/analytics"),
            "chronicle-analytics must be excluded from the dependencies");
    }

    @Test
    void shouldSwitchOffAnalyticsAndBanners() {
        try (Store store = TestStores.builder().open(dir)) {
            store.region("a", 1);
            for (String[] p : Quiet.PROPERTIES) {
                assertEquals(p[1], System.getProperty(p[0]), p[0]);
            }
        }
    }

    @Test
    void shouldRunWithTheFlagsFromTheBuild() {
        assertTrue(JvmFlags.present());
        assertTrue(JvmFlags.required().contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), JvmFlags.required()::toString);
        assertTrue(JvmFlags.required().contains("-Dchronicle.analytics.disable=true"));
    }
}
