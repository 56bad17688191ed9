package org.pps2phc.ptp4l;

import java.time.Instant;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.State;

/**
 * Run by {@link Ptp4lLiveTest} inside ptp4l's network namespace: sets the locked settings through a client on the
 * default (abstract) reply address and prints "OK". Abstract names exist per network namespace, so this cannot run
 * in the test's own JVM.
 */
final class AbstractAddressProbe {
    private AbstractAddressProbe() {
    }

    public static void main(String[] args) throws Exception {
        Ptp4lClientConfig config = Ptp4lClientConfig.defaults().withUdsAddress(args[0])
                .withDomainNumber(Integer.parseInt(args[1]));
        GrandmasterSettings locked = new GrandmasterPolicy(GrandmasterPolicyConfig.defaults())
                .settingsFor(State.LOCKED, false, LeapState.fixed(37, "probe"), Instant.now().toEpochMilli() * 1_000_000L);
        long deadline = System.nanoTime() + 5_000_000_000L;
        try (Ptp4lClient client = Ptp4lClient.open(config)) {
            while (true) {
                try {
                    client.setGrandmasterSettings(locked);
                    System.out.println("OK " + config.clientAddress() + " " + client.grandmasterSettings());
                    return;
                } catch (Ptp4lException e) {
                    if (System.nanoTime() > deadline) {
                        System.out.println("FAILED " + e.getMessage());
                        System.exit(1);
                    }
                    Thread.sleep(50); // ptp4l may still be creating its socket
                }
            }
        }
    }
}
