package org.pps2phc.ptp4l;

/** The parts of ptp4l's PARENT_DATA_SET pps2phc reports: which grandmaster ptp4l follows and its quality. */
public record ParentDataSet(int grandmasterPriority1, int grandmasterClockClass, int grandmasterClockAccuracy,
                            int grandmasterOffsetScaledLogVariance, int grandmasterPriority2,
                            String grandmasterIdentity) {

    static ParentDataSet decode(byte[] data) throws MalformedReplyException {
        if (data.length < ManagementId.PARENT_DATA_SET.dataLength()) {
            throw new MalformedReplyException("PARENT_DATA_SET data is " + data.length + " bytes, expected 32");
        }
        // 0..9 parentPortIdentity, 10 parentStats, 11 reserved, 12..13 observed variance, 14..17 observed phase
        // change rate, 18 gm priority1, 19..22 gm clockQuality, 23 gm priority2, 24..31 gm identity
        return new ParentDataSet(data[18] & 0xFF, data[19] & 0xFF, data[20] & 0xFF, Bytes.u16(data, 21),
                data[23] & 0xFF, Bytes.clockIdentity(data, 24));
    }
}
