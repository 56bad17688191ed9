package org.pps2phc.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.pps2phc.core.Observation;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.core.port.ObservationListener;

/**
 * {@code simulate --trace FILE}: one CSV line per simulated second with the ground truth's time error beside what
 * the engine saw, for plotting (scripts/benchmark.sh draws docs/img from it). Columns:
 * <ul>
 *   <li>{@code second}: true seconds from the start;</li>
 *   <li>{@code te_ns}: the ground truth's TE, PHC minus true time;</li>
 *   <li>{@code outage}: 1 inside a {@code pps.outages} window;</li>
 *   <li>{@code offset_ns}: the offset the engine measured on the pulse it accepted in that second (empty: none);</li>
 *   <li>{@code freq_ppb}: the frequency the engine dialled after its last pulse;</li>
 *   <li>{@code state}: the engine's state at the end of the second.</li>
 * </ul>
 */
public final class TraceWriter implements ObservationListener, SimRunner.SecondListener {
    private final double[] teNs;
    private final List<Window> outages;
    private final double[] offsetNs;
    private final double[] freqPpb;
    private final State[] states;

    /**
     * @param seconds the run's length, sim.duration
     * @param outages the run's pps.outages windows
     */
    public TraceWriter(int seconds, List<Window> outages) {
        this.outages = List.copyOf(outages);
        teNs = new double[seconds];
        Arrays.fill(teNs, Double.NaN);
        offsetNs = new double[seconds];
        freqPpb = new double[seconds];
        states = new State[seconds];
        Arrays.fill(offsetNs, Double.NaN);
        Arrays.fill(freqPpb, Double.NaN);
    }

    @Override
    public void observe(Observation observation) {
        if (observation instanceof Observation.Pulse p) {
            int k = second(p.monoNs());
            if (k < 0) {
                return;
            }
            if (p.verdict() == PulseVerdict.ACCEPTED) {
                offsetNs[k] = p.offsetNs();
            }
            freqPpb[k] = p.freqPpb();
            states[k] = p.state();
        } else if (observation instanceof Observation.StateChange c) {
            int k = second(c.monoNs());
            if (k >= 0) {
                states[k] = c.to();
            }
        }
    }

    @Override
    public void second(long k, double te, Snapshot snapshot) {
        if (k >= 0 && k < teNs.length) {
            teNs[(int) k] = te;
        }
    }

    private int second(long monoNs) {
        long k = Math.floorDiv(monoNs, SimWorld.S);
        return k >= 0 && k < states.length ? (int) k : -1;
    }

    /** Writes the trace of the run this writer was told about. */
    public void write(Path file) throws IOException {
        double[] te = teNs;
        double freq = Double.NaN;
        State state = State.FREE_RUNNING;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("second,te_ns,outage,offset_ns,freq_ppb,state\n");
            for (int k = 0; k < Math.min(te.length, states.length); k++) {
                freq = Double.isNaN(freqPpb[k]) ? freq : freqPpb[k];
                state = states[k] == null ? state : states[k];
                w.write(String.format(Locale.ROOT, "%d,%.3f,%d,%s,%s,%s%n", k, te[k], inOutage(k) ? 1 : 0,
                        Double.isNaN(offsetNs[k]) ? "" : String.format(Locale.ROOT, "%.3f", offsetNs[k]),
                        Double.isNaN(freq) ? "" : String.format(Locale.ROOT, "%.3f", freq), state.label()));
            }
        }
    }

    private boolean inOutage(long k) {
        for (Window w : outages) {
            if (w.containsSecond(k)) {
                return true;
            }
        }
        return false;
    }
}
