package org.pps2phc.core;

import java.util.ArrayList;
import java.util.List;

/** The actions and observations one event produced, in order. */
public final class Output {
    private final List<Action> actions = new ArrayList<>(2);
    private final List<Observation> observations = new ArrayList<>(2);

    public Output act(Action action) {
        actions.add(action);
        return this;
    }

    public Output observe(Observation observation) {
        observations.add(observation);
        return this;
    }

    public List<Action> actions() {
        return actions;
    }

    public List<Observation> observations() {
        return observations;
    }
}
