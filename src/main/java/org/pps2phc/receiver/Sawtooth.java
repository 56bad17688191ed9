package org.pps2phc.receiver;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The quantisation error (qErr) of the coming pulses, from UBX TIM-TP, which u-blox sends before the pulse it
 * describes. The true top of the second is the pulse plus qErr, so an edge stamped at t is corrected to t + qErr.
 * A qErr the receiver flags invalid, or larger than {@link #PLAUSIBLE_PS} (no receiver's tick is that coarse),
 * is not applied.
 */
final class Sawtooth {
    static final long PLAUSIBLE_PS = 100_000;
    private static final int KEPT = 4;
    private static final long WEEK_S = 604_800L;
    private final Deque<ReceiverMessage.NextPulse> announced = new ArrayDeque<>();

    void announced(ReceiverMessage.NextPulse p) {
        announced.addLast(p);
        while (announced.size() > KEPT) {
            announced.removeFirst();
        }
    }

    /**
     * The correction, ns, for the pulse at the top of UTC second {@code utcSecond}, or 0 when no usable TIM-TP
     * announced it.
     *
     * @param gpsMinusUtc GPS-UTC, to read a TIM-TP on the GNSS time base
     */
    long correctionNs(long utcSecond, int gpsMinusUtc) {
        for (ReceiverMessage.NextPulse p : announced) {
            if (p.towMs() % 1000 != 0) {
                continue;
            }
            long second = UbxParser.gpsToPosixScale(p.week() * WEEK_S + p.towMs() / 1000)
                    - (p.utcTimeBase() ? 0 : gpsMinusUtc);
            if (second == utcSecond) {
                return p.qErrValid() && Math.abs(p.qErrPs()) <= PLAUSIBLE_PS ? Math.round(p.qErrPs() / 1000.0) : 0;
            }
        }
        return 0;
    }
}
