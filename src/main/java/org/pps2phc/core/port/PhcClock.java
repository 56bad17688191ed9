package org.pps2phc.core.port;

/** The clock being disciplined: the NIC's PHC (or the simulator's). */
public interface PhcClock {
    /** The device name for messages ("/dev/ptp0", "sim"). */
    String name();

    /** Largest frequency adjustment the device accepts, ppb (caps.max_adj). */
    long maxAdjPpb();

    /** The frequency adjustment currently dialled in, ppb. */
    double frequencyPpb() throws ClockException;

    void setFrequencyPpb(double ppb) throws ClockException;

    /** Step the clock by {@code deltaNs} (positive moves it forward). */
    void step(long deltaNs) throws ClockException;
}
