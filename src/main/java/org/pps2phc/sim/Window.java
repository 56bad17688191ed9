package org.pps2phc.sim;

/** A window of the run, in whole seconds from {@code sim.start}: {@code [startS, startS + lengthS)}. */
public record Window(long startS, long lengthS) {
    public Window {
        if (startS < 0 || lengthS <= 0) {
            throw new IllegalArgumentException("window " + startS + ":" + lengthS);
        }
    }

    public long endS() {
        return startS + lengthS;
    }

    /** True when the instant {@code simNs} (ns from the start of the run) lies inside the window. */
    public boolean containsNs(long simNs) {
        return simNs >= startS * 1_000_000_000L && simNs < endS() * 1_000_000_000L;
    }

    public boolean containsSecond(long k) {
        return k >= startS && k < endS();
    }

    @Override
    public String toString() {
        return startS + ":" + lengthS;
    }
}
