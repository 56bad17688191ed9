package org.pps2phc.daemon;

import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline, instead of sleeping and hoping. */
final class Poll {
    private Poll() {
    }

    static boolean until(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
