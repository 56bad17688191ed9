package org.pps2phc.ptp4l;

import java.util.Optional;

/**
 * A decoded management message from ptp4l: either a MANAGEMENT TLV with data, or an error status.
 *
 * @param managementId the TLV's id (for an error, the id of the refused request)
 * @param data         the TLV data after the id (empty for an error)
 */
public record ManagementReply(int transportSpecific, int domainNumber, int sequenceId, int action, int managementId,
                              byte[] data, Optional<ManagementErrorStatus> error) {
}
