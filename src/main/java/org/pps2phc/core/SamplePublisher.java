package org.pps2phc.core;

/**
 * Publication of samples to the NTP outputs: a sample goes out only when the engine says the PHC is in sync, and
 * never from the seconds around a leap (two before its midnight to one after), where the system clock's second and
 * the sample's UTC cannot be paired unambiguously: those are withheld. Anything else withdraws once.
 */
final class SamplePublisher {
    private boolean publishing;

    void publish(Output out, PhcSample sample, SecondLabeller labeller) {
        if (labeller.nearLeap(sample.phcUtcNs()) || labeller.nearLeap(sample.sysNs())) {
            withdraw(out);
            return;
        }
        publishing = true;
        out.observe(new Observation.Sample(sample));
    }

    void withdraw(Output out) {
        if (publishing) {
            publishing = false;
            out.observe(new Observation.Sample(null));
        }
    }
}
