package org.pps2phc.receiver;

import java.util.List;

/**
 * The receiver's side of the verdict, for the daemon's status file and {@code pps2phc tod}: what it sends, how its
 * bursts pair with the pulses, whether its time is valid, and TAI-UTC.
 *
 * @param source        what the messages come from ("GNSS /dev/ttyS0", "gpsd 127.0.0.1:2947")
 * @param bytes         bytes read since the port opened (-1 when the source has no bytes of its own: gpsd)
 * @param messages      valid messages since then
 * @param badChecksums  messages whose checksum failed
 * @param lastBurst     the messages of the last burst, in order
 * @param delayNs       the last pairing's delay of the burst's start after its pulse, or Long.MIN_VALUE
 * @param minDelayNs    the least delay over the recent pairings, or Long.MIN_VALUE
 * @param maxDelayNs    the greatest, or Long.MIN_VALUE
 * @param pairings      how many recent pairings those cover
 * @param validity      null when the last burst named its second, else why not
 * @param taiMinusUtcS  TAI-UTC in use
 * @param taiUtcSource  where it came from ("receiver NAV-TIMELS", "kernel")
 * @param secondCheck   what checks the second beyond the pairing ({@link PulsePairing#secondCheck})
 * @param setup         the answers to the u-blox set-up, or "" when none was sent
 */
public record ReceiverStatus(String source, long bytes, long messages, long badChecksums, List<String> lastBurst,
                             long delayNs, long minDelayNs, long maxDelayNs, int pairings, String validity,
                             int taiMinusUtcS, String taiUtcSource, String secondCheck, String setup) {
    public ReceiverStatus {
        lastBurst = List.copyOf(lastBurst);
    }

    public boolean paired() {
        return delayNs != Long.MIN_VALUE;
    }
}
