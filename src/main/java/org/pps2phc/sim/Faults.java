package org.pps2phc.sim;

import java.util.List;

/**
 * The faults injected into a run (docs/simulator.md, "Faults"): none of them is noise; each happens at a given
 * second of the run.
 *
 * @param taiGlitches        {@code tai.glitch}: windows in which the time of day reports TAI-UTC off by a delta
 * @param sysSteps           {@code sys.steps}: steps of the system clock, ms
 * @param phcExternalSteps   {@code phc.external_steps}: steps of the PHC by another process, ns
 * @param phcExternalFreq    {@code phc.external_freq}: frequencies another process dials, ppb
 * @param reportedEdges      {@code nic.reports_edges}: what the arming path says the NIC stamps
 * @param nicRemoved         {@code nic.removed}: windows in which the device is gone
 */
public record Faults(List<TaiGlitch> taiGlitches, List<At> sysSteps, List<At> phcExternalSteps,
                     List<At> phcExternalFreq, ReportedEdges reportedEdges, List<Window> nicRemoved) {

    public static final Faults NONE = new Faults(List.of(), List.of(), List.of(), List.of(), ReportedEdges.AUTO,
            List.of());

    public Faults {
        taiGlitches = List.copyOf(taiGlitches);
        sysSteps = List.copyOf(sysSteps);
        phcExternalSteps = List.copyOf(phcExternalSteps);
        phcExternalFreq = List.copyOf(phcExternalFreq);
        nicRemoved = List.copyOf(nicRemoved);
    }

    /** Something that happens {@code atNs} after the start of the run, with its size in the key's unit. */
    public record At(long atNs, double value) {
    }

    /** TAI-UTC reported {@code deltaS} off during {@code window}. */
    public record TaiGlitch(Window window, int deltaS) {
    }

    /** What {@code PulseSource.edgeMode()} says: what the NIC does ({@code AUTO}), or one edge, or both. */
    public enum ReportedEdges { AUTO, SINGLE, BOTH }
}
