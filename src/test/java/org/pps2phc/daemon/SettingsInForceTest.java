package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pps2phc.config.Settings;

class SettingsInForceTest {
    private static Settings file(String... lines) throws Exception {
        return Settings.parse("test.conf", List.of(lines));
    }

    @Test
    void revertingALiveKeyAfterAReloadThatAlsoChangedARestartKeyRestoresIt() throws Exception {
        SettingsInForce inForce = new SettingsInForce(file("[global]", "logging_level 6"));

        Settings quieter = file("[global]", "logging_level 5", "lock_count 20");
        Settings.Changes first = inForce.changesTo(quieter);
        assertEquals(List.of("logging_level"), first.live());
        assertEquals(List.of("lock_count"), first.restart());
        inForce.applied(quieter);

        // back to the file it started with: logging_level 6 is a change from what is in force, lock_count is not
        Settings.Changes back = inForce.changesTo(file("[global]", "logging_level 6"));
        assertEquals(List.of("logging_level"), back.live());
        assertEquals(List.of(), back.restart());
    }

    @Test
    void aPendingRestartKeyIsNamedOnEveryReloadUntilTheRestart() throws Exception {
        SettingsInForce inForce = new SettingsInForce(file("[global]"));
        Settings changed = file("[global]", "lock_count 20");
        inForce.applied(changed);
        Settings.Changes again = inForce.changesTo(file("[global]", "lock_count 20"));
        assertEquals(List.of(), again.live());
        assertEquals(List.of("lock_count"), again.restart());
    }
}
