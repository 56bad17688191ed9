package org.pps2phc.core.servo;

/**
 * @param adjustPpb the frequency to dial, ppb (already negated: the value to pass to ADJ_FREQUENCY)
 * @param state     what to do with it
 */
public record ServoOutput(double adjustPpb, ServoState state) {
}
