package org.pps2phc.core;

import org.pps2phc.core.servo.ServoConfig;
import org.pps2phc.core.servo.ServoState;

/**
 * The one owner of the decision to step the PHC. The servo's JUMP is only a proposal (its frequency estimate comes
 * with it); this decides, from where the label came from and whether anything is being announced:
 *
 * <ul>
 *   <li>a re-anchor (the labeller relabels an anchored PHC) always steps; the engine has left LOCKED before;</li>
 *   <li>{@code step_threshold} (if set) steps an anchored PHC whose offset exceeds it, as linuxptp does;</li>
 *   <li>while nothing is announced (acquiring, free-running), {@code first_step_threshold} steps an offset beyond
 *       it, on a label from the trusted time of day or from the anchored PHC's own seconds, once the servo has a
 *       frequency estimate;</li>
 *   <li>otherwise (locked, holdover, relocking after holdover) the servo slews: downstream sees no phase jump.</li>
 * </ul>
 * Without a label nothing is ever stepped, so an untrusted time of day never steps.
 */
final class StepPolicy {
    private final ServoConfig servo;

    StepPolicy(ServoConfig servo) {
        this.servo = servo;
    }

    boolean steps(SecondLabeller.Source source, boolean anchored, boolean announcing, double offsetNs,
                  ServoState servoState) {
        if (source == SecondLabeller.Source.RELABEL) {
            return true;
        }
        if (source == SecondLabeller.Source.NONE || servoState == ServoState.UNLOCKED) {
            return false;
        }
        double abs = Math.abs(offsetNs);
        if (anchored && servo.stepThresholdNs() > 0 && abs > servo.stepThresholdNs()) {
            return true;
        }
        return !announcing && servo.firstStepThresholdNs() > 0 && abs > servo.firstStepThresholdNs();
    }

    /**
     * Whether a label from the time of day that needs no step establishes the PHC's seconds: it must be close
     * enough that the step threshold would not have stepped it.
     */
    boolean anchorsWithoutStep(double offsetNs, double lockThresholdNs) {
        return Math.abs(offsetNs) < Math.max(lockThresholdNs, servo.firstStepThresholdNs());
    }
}
