package org.pps2phc.daemon;

import sun.misc.Signal;

/**
 * Routes SIGTERM, SIGINT and SIGHUP to the event loop.
 *
 * <p>Why sun.misc.Signal rather than a shutdown hook: a hook cannot tell SIGHUP (reload) from SIGTERM, the JVM's
 * default action for SIGHUP is to exit, and hooks run while the JVM is already tearing down, so the orderly
 * sequence (STOPPING=1, disarm extts, withdraw outputs) would race with it. sun.misc.Signal lives in the supported
 * jdk.unsupported module on Java 17. The handlers only post an event; all work happens on the loop thread.
 *
 * <p>The handlers are installed first thing in {@code pps2phc run}, before the config is read and the devices
 * opened: a signal that comes before the daemon exists waits for it ({@link #attach}) instead of meeting the JVM's
 * default action (SIGHUP: exit 129; SIGTERM: exit 143).
 */
public final class Signals {
    private Daemon daemon;
    private String pendingStop;
    private boolean pendingReload;

    private Signals() {
    }

    /** Installs the handlers now; requests wait until a daemon is attached. */
    public static Signals install() {
        Signals signals = new Signals();
        Signal.handle(new Signal("TERM"), s -> signals.stop("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> signals.stop("SIGINT"));
        Signal.handle(new Signal("HUP"), s -> signals.reload());
        return signals;
    }

    /** From now on requests go to {@code target}; one that came before is handed to it at once. */
    public synchronized void attach(Daemon target) {
        daemon = target;
        if (pendingReload) {
            target.requestReload();
        }
        if (pendingStop != null) {
            target.requestStop(pendingStop);
        }
    }

    /** The signal that asked to stop before a daemon was attached, or null. */
    public synchronized String stopRequested() {
        return pendingStop;
    }

    private synchronized void stop(String why) {
        if (daemon != null) {
            daemon.requestStop(why);
        } else if (pendingStop == null) {
            pendingStop = why;
        }
    }

    private synchronized void reload() {
        if (daemon != null) {
            daemon.requestReload();
        } else {
            pendingReload = true;
        }
    }
}
