package org.pps2phc.daemon;

import sun.misc.Signal;

/**
 * Routes SIGTERM, SIGINT and SIGHUP to the event loop.
 *
 * <p>Why sun.misc.Signal rather than a shutdown hook: a hook cannot tell SIGHUP (reload) from SIGTERM, the JVM's
 * default action for SIGHUP is to exit, and hooks run while the JVM is already tearing down, so the orderly
 * sequence (STOPPING=1, disarm extts, withdraw outputs) would race with it. sun.misc.Signal lives in the supported
 * jdk.unsupported module on Java 17. The handlers only post an event; all work happens on the loop thread.
 */
public final class Signals {
    private Signals() {
    }

    public static void install(Daemon daemon) {
        Signal.handle(new Signal("TERM"), s -> daemon.requestStop("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> daemon.requestStop("SIGINT"));
        Signal.handle(new Signal("HUP"), s -> daemon.requestReload());
    }
}
