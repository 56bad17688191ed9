package org.pps2phc.core;

/** What the discipline engine asks of the PHC. The controller applies actions in order. */
public sealed interface Action permits Action.SetFrequency, Action.Step {

    /** Dial the PHC's frequency adjustment to {@code ppb} (positive makes the PHC run faster). */
    record SetFrequency(double ppb) implements Action {
    }

    /** Step the PHC by {@code deltaNs} (ADJ_SETOFFSET); opens era {@code newEra}. */
    record Step(long deltaNs, long newEra) implements Action {
    }
}
