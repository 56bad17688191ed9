package org.pps2phc.sim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.pps2phc.core.Observation;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.port.ObservationListener;

/** What the engine said during a run, summed up (the metrics come from the ground truth, not from this). */
public final class RunLog implements ObservationListener {
    private final Map<PulseVerdict, Long> verdicts = new EnumMap<>(PulseVerdict.class);
    private final List<Observation.StateChange> stateChanges = new ArrayList<>();
    private final List<Observation.ActionFailed> failures = new ArrayList<>();
    private final ObservationListener next;
    private long disagreements;

    public RunLog(ObservationListener next) {
        this.next = next;
    }

    @Override
    public void observe(Observation o) {
        if (o instanceof Observation.Pulse p) {
            verdicts.merge(p.verdict(), 1L, Long::sum);
        } else if (o instanceof Observation.StateChange c) {
            stateChanges.add(c);
        } else if (o instanceof Observation.ActionFailed f) {
            failures.add(f);
        } else if (o instanceof Observation.Disagreement) {
            disagreements++;
        }
        if (next != null) {
            next.observe(o);
        }
    }

    public long count(PulseVerdict verdict) {
        return verdicts.getOrDefault(verdict, 0L);
    }

    public List<Observation.StateChange> stateChanges() {
        return List.copyOf(stateChanges);
    }

    public List<Observation.ActionFailed> failures() {
        return List.copyOf(failures);
    }

    public long disagreements() {
        return disagreements;
    }

    @Override
    public String toString() {
        return "verdicts " + verdicts + ", state changes " + stateChanges + ", failures " + failures
                + ", disagreements " + disagreements;
    }
}
