package org.pps2phc.ptp4l;

/**
 * A MANAGEMENT_ERROR_STATUS TLV: ptp4l understood the request and refused it.
 *
 * @param errorId      1 RESPONSE_TOO_BIG, 2 NO_SUCH_ID, 3 WRONG_LENGTH, 4 WRONG_VALUE, 5 NOT_SETABLE,
 *                     6 NOT_SUPPORTED, 0xFFFE GENERAL_ERROR
 * @param managementId the id of the refused request
 * @param displayData  ptp4l's optional text ("" when absent)
 */
public record ManagementErrorStatus(int errorId, int managementId, String displayData) {

    public String errorName() {
        return switch (errorId) {
            case 0x0001 -> "RESPONSE_TOO_BIG";
            case 0x0002 -> "NO_SUCH_ID";
            case 0x0003 -> "WRONG_LENGTH";
            case 0x0004 -> "WRONG_VALUE";
            case 0x0005 -> "NOT_SETABLE";
            case 0x0006 -> "NOT_SUPPORTED";
            case 0xFFFE -> "GENERAL_ERROR";
            default -> String.format("error 0x%04X", errorId);
        };
    }

    /** "NOT_SUPPORTED (0x0006) for GRANDMASTER_SETTINGS_NP: text". */
    @Override
    public String toString() {
        return String.format("%s (0x%04X) for %s%s", errorName(), errorId, ManagementId.describe(managementId),
                displayData.isEmpty() ? "" : ": " + displayData);
    }
}
