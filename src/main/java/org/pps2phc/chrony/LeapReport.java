package org.pps2phc.chrony;

import java.util.List;
import org.pps2phc.core.LeapState;

/**
 * TAI-UTC and the pending leap second, with what went wrong on the way.
 *
 * @param state    the picture to use; {@code state.source()} says where TAI-UTC came from
 * @param known    false when no source gave TAI-UTC at all (then {@code state} holds a placeholder)
 * @param warnings problems worth a log line (expired or unreadable leap file, disagreeing sources)
 */
public record LeapReport(LeapState state, boolean known, List<String> warnings) {
    public LeapReport {
        warnings = List.copyOf(warnings);
    }
}
