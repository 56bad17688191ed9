package org.pps2phc.daemon;

import org.pps2phc.core.port.ClockException;

/**
 * The PHC with its armed external-timestamp channel, as the daemon holds it: something that may be absent at start
 * or vanish while running (NIC removed or reset, driver reloaded, a udev race at boot) and come back. The daemon
 * opens it, reopens it with a backoff while it is gone, and closes it at stop.
 */
public interface PulseDevice {
    /** For logs ("/dev/ptp0", "eth0"). */
    String name();

    /**
     * Opens the device and arms its channel.
     *
     * @throws ClockException while the device is absent or unusable for now: the daemon retries
     * @throws UserError      at start, for what a retry cannot fix (permission, a channel or pin it lacks)
     */
    OpenDevice open() throws ClockException;

    /** Whether this failure of an open device means the device went away (ENODEV, ENXIO, EIO), not a refusal. */
    boolean gone(ClockException failure);

    /** A device that is always there (the simulator's, tests'): opened once, never gone. */
    static PulseDevice fixed(OpenDevice device) {
        return new PulseDevice() {
            @Override
            public String name() {
                return device.phc().name();
            }

            @Override
            public OpenDevice open() {
                return device;
            }

            @Override
            public boolean gone(ClockException failure) {
                return false;
            }
        };
    }
}
