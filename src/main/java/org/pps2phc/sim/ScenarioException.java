package org.pps2phc.sim;

/** A scenario name, parameter key or value the simulator cannot use; the message is one line for the user. */
public final class ScenarioException extends IllegalArgumentException {
    public ScenarioException(String message) {
        super(message);
    }
}
