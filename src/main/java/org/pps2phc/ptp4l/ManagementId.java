package org.pps2phc.ptp4l;

/** The PTP management TLV ids pps2phc uses, with the size of their data block (IEEE 1588 and linuxptp's _NP ids). */
public enum ManagementId {
    DEFAULT_DATA_SET(0x2000, 20),
    PARENT_DATA_SET(0x2002, 32),
    TIME_PROPERTIES_DATA_SET(0x2003, 4),
    GRANDMASTER_SETTINGS_NP(0xC001, 8);

    private final int code;
    private final int dataLength;

    ManagementId(int code, int dataLength) {
        this.code = code;
        this.dataLength = dataLength;
    }

    public int code() {
        return code;
    }

    /** Bytes of data in a GET reply or SET request (always even here, so no padding is needed). */
    public int dataLength() {
        return dataLength;
    }

    /** The id's name, or its hex code when it is not one of ours. */
    public static String describe(int code) {
        for (ManagementId id : values()) {
            if (id.code == code) {
                return id.name();
            }
        }
        return String.format("management id 0x%04X", code);
    }
}
