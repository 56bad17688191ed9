package org.pps2phc.daemon;

import org.pps2phc.config.Settings;

/**
 * What runs: the restart-only keys as read at start, the live keys as last applied by SIGHUP. A reloaded file is
 * compared with this, not with the file read before it, so that reverting a live key after a reload that also
 * changed a restart-only key restores the live key, and a restart-only change stays named until the restart.
 */
final class SettingsInForce {
    private final Settings started;
    private Settings live;

    SettingsInForce(Settings started) {
        this.started = started;
        this.live = started;
    }

    /** Live keys that differ from those applied, restart-only keys that differ from those started with. */
    Settings.Changes changesTo(Settings fresh) {
        return new Settings.Changes(live.changesTo(fresh).live(), started.changesTo(fresh).restart());
    }

    /** The reload of {@code fresh} applied its live keys. */
    void applied(Settings fresh) {
        live = fresh;
    }
}
