package org.pps2phc.daemon;

/** A one-slot mailbox: {@link #put} replaces what is there and never blocks; {@link #take} waits for a value. */
final class Latest<T> {
    private T value;

    synchronized void put(T v) {
        value = v;
        notifyAll();
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
