package org.pps2phc.sim;

import java.util.List;
import org.pps2phc.core.LeapState;

/**
 * Every parameter of the closed-loop model (docs/simulator.md), typed and in the units of its key, and the faults
 * of the run, and the receiver's byte stream ({@code gnss}). Built by {@link Scenarios#resolve}. {@code leap} is TAI-UTC (37 s) and the leap second of {@code sim.leap},
 * if any: the simulated system clock and chrony's verdict follow it.
 */
public record SimParameters(
        long startS, long durationS,
        double oscFreqPpb, double oscRwPpbPerSqrtS, double oscTempAmpPpb, double oscTempPeriodS, double oscWfmAdev,
        double phcInitialOffsetS, long phcMaxAdjPpb, long phcTickNs, double phcStepErrorNs,
        double ppsJitterNs, double ppsSawtoothNs, double ppsMissProb, List<Window> ppsOutages,
        double ppsGlitchProb, double ppsWidthMs,
        boolean nicBothEdges, double nicDeliveryMinMs, double nicDeliveryMaxMs,
        double sysOffsetMs, double sysJitterMs, double sysBoundMs, List<Window> sysUntrusted,
        double xtsWidthNs, LeapState leap, Faults faults, GnssSettings gnss) {

    public SimParameters {
        ppsOutages = List.copyOf(ppsOutages);
        sysUntrusted = List.copyOf(sysUntrusted);
        if (leap == null || faults == null || gnss == null) {
            throw new IllegalArgumentException("leap, faults and gnss are required");
        }
    }

    public long ppsWidthNs() {
        return Math.round(ppsWidthMs * 1e6);
    }

    public SimParameters withDurationS(long seconds) {
        return new SimParameters(startS, seconds, oscFreqPpb, oscRwPpbPerSqrtS, oscTempAmpPpb, oscTempPeriodS,
                oscWfmAdev, phcInitialOffsetS, phcMaxAdjPpb, phcTickNs, phcStepErrorNs, ppsJitterNs, ppsSawtoothNs,
                ppsMissProb, ppsOutages, ppsGlitchProb, ppsWidthMs, nicBothEdges, nicDeliveryMinMs,
                nicDeliveryMaxMs, sysOffsetMs, sysJitterMs, sysBoundMs, sysUntrusted, xtsWidthNs, leap, faults, gnss);
    }
}
