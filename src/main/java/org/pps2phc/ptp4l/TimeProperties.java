package org.pps2phc.ptp4l;

/**
 * ptp4l's TIME_PROPERTIES_DATA_SET: what its Announce messages carry. It follows GRANDMASTER_SETTINGS_NP only while
 * ptp4l is itself the grandmaster; otherwise it is what the remote grandmaster announces.
 */
public record TimeProperties(int currentUtcOffset, TimeFlags flags, int timeSource) {

    static TimeProperties decode(byte[] data) throws MalformedReplyException {
        if (data.length < ManagementId.TIME_PROPERTIES_DATA_SET.dataLength()) {
            throw new MalformedReplyException("TIME_PROPERTIES_DATA_SET data is " + data.length
                    + " bytes, expected 4");
        }
        return new TimeProperties(Bytes.s16(data, 0), TimeFlags.fromByte(data[2] & 0xFF), data[3] & 0xFF);
    }

    @Override
    public String toString() {
        return String.format("currentUtcOffset %d %s timeSource 0x%02x", currentUtcOffset, flags, timeSource);
    }
}
