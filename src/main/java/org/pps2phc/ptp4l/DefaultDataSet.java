package org.pps2phc.ptp4l;

/** The parts of ptp4l's DEFAULT_DATA_SET pps2phc reports: who ptp4l is and the quality it claims for itself. */
public record DefaultDataSet(int numberPorts, int priority1, int clockClass, int clockAccuracy,
                             int offsetScaledLogVariance, int priority2, String clockIdentity, int domainNumber) {

    static DefaultDataSet decode(byte[] data) throws MalformedReplyException {
        if (data.length < ManagementId.DEFAULT_DATA_SET.dataLength()) {
            throw new MalformedReplyException("DEFAULT_DATA_SET data is " + data.length + " bytes, expected 20");
        }
        // 0 flags, 1 reserved, 2..3 numberPorts, 4 priority1, 5..8 clockQuality, 9 priority2,
        // 10..17 clockIdentity, 18 domainNumber, 19 reserved
        return new DefaultDataSet(Bytes.u16(data, 2), data[4] & 0xFF, data[5] & 0xFF, data[6] & 0xFF,
                Bytes.u16(data, 7), data[9] & 0xFF, Bytes.clockIdentity(data, 10), data[18] & 0xFF);
    }
}
