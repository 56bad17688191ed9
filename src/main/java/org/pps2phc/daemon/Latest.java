package org.pps2phc.daemon;

/** A one-slot mailbox: {@link #put} replaces what is there and never blocks; {@link #take} waits for a value. */
final class Latest<T> {
    private T value;

    synchronized void put(T v) {
        value = v;
        notifyAll();
    }

    /** Waits up to {@code timeoutMs} for a value; null when none came. */
    synchronized T take(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (value == null) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return null;
            }
            wait(leftMs);
        }
        T v = value;
        value = null;
        return v;
    }

    synchronized T take() throws InterruptedException {
        while (value == null) {
            wait();
        }
        T v = value;
        value = null;
        return v;
    }
}
