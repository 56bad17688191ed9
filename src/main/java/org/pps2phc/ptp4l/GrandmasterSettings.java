package org.pps2phc.ptp4l;

/**
 * What ptp4l announces about its own clock when it is the grandmaster: the data of GRANDMASTER_SETTINGS_NP.
 *
 * @param clockClass              0..255 (6 locked to GNSS, 7 holdover, 248 free-running default)
 * @param clockAccuracy           PTP enumeration, see {@link ClockAccuracy}
 * @param offsetScaledLogVariance 0..0xFFFF (0xFFFF: not computed)
 * @param currentUtcOffset        TAI-UTC in seconds
 * @param flags                   leap and traceability flags
 * @param timeSource              PTP enumeration, see {@link TimeSource}
 */
public record GrandmasterSettings(int clockClass, int clockAccuracy, int offsetScaledLogVariance,
                                  int currentUtcOffset, TimeFlags flags, int timeSource) {

    public GrandmasterSettings {
        checkRange("clockClass", clockClass, 0, 0xFF);
        checkRange("clockAccuracy", clockAccuracy, 0, 0xFF);
        checkRange("offsetScaledLogVariance", offsetScaledLogVariance, 0, 0xFFFF);
        checkRange("currentUtcOffset", currentUtcOffset, Short.MIN_VALUE, Short.MAX_VALUE);
        checkRange("timeSource", timeSource, 0, 0xFF);
        if (flags == null) {
            throw new IllegalArgumentException("flags are required");
        }
    }

    /** The 8 data bytes of the TLV (big-endian). */
    public byte[] encode() {
        return new byte[] {(byte) clockClass, (byte) clockAccuracy, (byte) (offsetScaledLogVariance >> 8),
            (byte) offsetScaledLogVariance, (byte) (currentUtcOffset >> 8), (byte) currentUtcOffset,
            (byte) flags.toByte(), (byte) timeSource};
    }

    static GrandmasterSettings decode(byte[] data) throws MalformedReplyException {
        if (data.length < ManagementId.GRANDMASTER_SETTINGS_NP.dataLength()) {
            throw new MalformedReplyException("GRANDMASTER_SETTINGS_NP data is " + data.length + " bytes, expected 8");
        }
        return new GrandmasterSettings(data[0] & 0xFF, data[1] & 0xFF, Bytes.u16(data, 2), Bytes.s16(data, 4),
                TimeFlags.fromByte(data[6] & 0xFF), data[7] & 0xFF);
    }

    /** In pmc's words, so that a log line can be compared with `pmc GET GRANDMASTER_SETTINGS_NP` by eye. */
    @Override
    public String toString() {
        return String.format("clockClass %d clockAccuracy 0x%02x offsetScaledLogVariance 0x%04x currentUtcOffset %d %s"
                + " timeSource 0x%02x", clockClass, clockAccuracy, offsetScaledLogVariance, currentUtcOffset, flags,
                timeSource);
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is outside " + min + ".." + max);
        }
    }
}
