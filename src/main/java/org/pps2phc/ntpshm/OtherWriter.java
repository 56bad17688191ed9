package org.pps2phc.ntpshm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether another live process writes an NTP SHM segment we are about to write too: two writers make chronyd or
 * ntpd see samples alternate between two clocks, with no warning anywhere. The evidence is a valid sample taken in
 * the last few seconds (a locked writer publishes every second; one that crashed has stopped), or the segment's
 * creator or last attacher (shm_cpid, shm_lpid) alive, not this process and not a known reader.
 */
final class OtherWriter {
    /** A valid sample younger than this was written by a live writer: locked ones write every second. */
    static final double RECENT_S = 3.0;
    /** Processes that attach to NTP SHM segments to read them. */
    private static final Set<String> READERS = Set.of("chronyd", "ntpd", "ntpshmmon");

    private OtherWriter() {
    }

    /**
     * @param shm the attached segment, not yet written by us
     * @return what shows another writer, for the one-line refusal; empty when there is none
     */
    static Optional<String> find(int unit, ByteBuffer shm, long nowMs, long ownPid) {
        List<String> evidence = new ArrayList<>();
        int count = shm.getInt(ShmTime.COUNT);
        if (shm.getInt(ShmTime.VALID) == 1 && count != 0) {
            double ageS = nowMs / 1e3 - (shm.getLong(ShmTime.RECEIVE_SEC) + shm.getInt(ShmTime.RECEIVE_USEC) / 1e6);
            if (Math.abs(ageS) < RECENT_S) {
                evidence.add(String.format("a valid sample %.1f s old, count %d", ageS, count));
            }
        }
        long[] pids = NtpShmSegment.SegmentTable.creatorAndLastAttacher(unit);
        for (int i = 0; i < pids.length; i++) {
            long pid = pids[i];
            if (pid <= 0 || pid == ownPid || (i == 1 && pid == pids[0])) {
                continue;
            }
            Optional<String> comm = liveCommand(pid);
            if (comm.isPresent() && !READERS.contains(comm.get())) {
                evidence.add("pid " + pid + " (" + comm.get() + ") " + (i == 0 ? "created" : "last attached") + " it");
            }
        }
        return evidence.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", evidence));
    }

    /** The command name of a live process, empty when it is gone (or hidden from us). */
    private static Optional<String> liveCommand(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "comm"),
                    StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
