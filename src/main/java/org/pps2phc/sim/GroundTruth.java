package org.pps2phc.sim;

import java.util.BitSet;
import java.util.List;

/**
 * What really happened in a run, from the model rather than from the daemon.
 *
 * @param teNs          TE_k = theta(t_k), ns, for every true second k from the start
 * @param stepTimesNs   when each step was applied, ns from the start
 * @param emittedPulses the pulses k the receiver emitted (not missed, not in an outage)
 * @param outages       the {@code pps.outages} windows
 * @param widthNs       the pulse width
 */
public record GroundTruth(double[] teNs, List<Long> stepTimesNs, BitSet emittedPulses, List<Window> outages,
                          long widthNs) {
}
