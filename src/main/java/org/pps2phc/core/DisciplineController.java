package org.pps2phc.core;

import java.util.List;
import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.ObservationListener;
import org.pps2phc.core.port.PhcClock;
import org.pps2phc.core.port.SampleSink;

/**
 * Connects the engine to its ports: feeds it events, applies its actions to the PHC (reporting refusals back to it),
 * hands samples to the sinks and every observation to the listener. Single-threaded; the daemon's event loop and the
 * simulator both drive it, so it is the one place where decisions turn into effects.
 */
public final class DisciplineController {
    private final Discipline engine;
    private final PhcClock phc;
    private final List<SampleSink> sinks;
    private final ObservationListener listener;

    public DisciplineController(Discipline engine, PhcClock phc, List<SampleSink> sinks,
                                ObservationListener listener) {
        this.engine = engine;
        this.phc = phc;
        this.sinks = List.copyOf(sinks);
        this.listener = listener;
    }

    public void onEdge(ExttsEvent event) {
        apply(engine.onEdge(event));
    }

    public void onTimeOfDay(TodVerdict verdict) {
        apply(engine.onTimeOfDay(verdict));
    }

    /** Time passes with no pulse; {@code xts} is an optional fresh cross-timestamp (for holdover samples). */
    public void onTick(long monoNs, CrossTimestamp xts) {
        apply(engine.onTick(monoNs, xts));
    }

    /** The device vanished (ENODEV and the like): see {@link Discipline#onDeviceLost}. */
    public void onDeviceLost(long monoNs, String reason) {
        apply(engine.onDeviceLost(monoNs, reason));
    }

    /** The device was reopened and runs at {@code dialledPpb}: see {@link Discipline#onDeviceBack}. */
    public void onDeviceBack(long monoNs, double dialledPpb) {
        apply(engine.onDeviceBack(monoNs, dialledPpb));
    }

    public Snapshot snapshot() {
        return engine.snapshot();
    }

    /** Leaves every output with nothing valid in it. */
    public void shutdown() {
        for (SampleSink sink : sinks) {
            sink.withdraw();
        }
    }

    // Indexed loops: the daemon's C1-compiled loop would allocate an iterator for each for-each, every pulse.
    private void apply(Output output) {
        List<Action> actions = output.actions();
        for (int i = 0; i < actions.size(); i++) {
            Action action = actions.get(i);
            try {
                if (action instanceof Action.SetFrequency f) {
                    phc.setFrequencyPpb(f.ppb());
                } else if (action instanceof Action.Step s) {
                    phc.step(s.deltaNs());
                }
            } catch (ClockException e) {
                deliver(output.observations());
                apply(engine.onActionFailed(action, e.getMessage()));
                return;
            }
        }
        deliver(output.observations());
    }

    private void deliver(List<Observation> observations) {
        for (int i = 0; i < observations.size(); i++) {
            Observation o = observations.get(i);
            if (o instanceof Observation.Sample s) {
                for (int j = 0; j < sinks.size(); j++) {
                    SampleSink sink = sinks.get(j);
                    if (s.sample() == null) {
                        sink.withdraw();
                    } else {
                        sink.publish(s.sample());
                    }
                }
            }
            listener.observe(o);
        }
    }
}
