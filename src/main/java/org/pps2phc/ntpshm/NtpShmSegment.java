package org.pps2phc.ntpshm;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.pps2phc.os.Errno;

/**
 * One attached NTP SHM segment ({@code struct shmTime}), written with the mode-1 count/valid protocol.
 *
 * <p>Order of the writes. chrony copies the struct and drops the copy if its {@code valid} is 0 or its {@code count}
 * differs from the live count read after the copy (a copy reads count, at offset 4, before valid, at 48). So a write
 * is: valid = 0, then count + 1, then the fields, then count + 2, then valid = 1. A copy that saw the new count also
 * sees valid = 0; a copy that saw the old count but any new field meets a changed live count. The other common order
 * (count + 1 before valid = 0, as linuxptp writes) leaves a window of a few nanoseconds in which chrony can take a
 * copy that mixes two samples. ntpd reads the live valid flag before the count, so neither order shuts its window
 * completely, and a reader whose struct copy compiles to 'rep movs' (whose loads x86 does not order) can tear any
 * writer's sample; with one write and one read a second these windows are nanoseconds wide. RefclockAbiTest races
 * a chrony-style reader against this writer.
 *
 * <p>Memory ordering. The segment is mapped as a direct ByteBuffer and the protocol words go through a VarHandle
 * view of it: release stores keep each group's earlier stores before them, and a {@link VarHandle#releaseFence()}
 * keeps the opening group (valid = 0, count + 1) before the fields, since a release store does not order what comes
 * after it. HotSpot emits real barriers for these on aarch64; on x86 stores are already ordered and they only stop
 * the JIT from reordering. Plain JNA {@code Pointer.setInt} calls would be ordered on x86 only.
 */
final class NtpShmSegment implements AutoCloseable {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int EEXIST = 17;
    /** Requested access for an existing segment: read and write for whichever class we fall in. */
    private static final int READ_WRITE = 0600;

    private final NtpShmConfig config;
    private final int shmid;
    private final boolean created;
    private final Pointer address;
    private final ByteBuffer shm;
    private boolean detached;
    /** The count this writer left in the segment; another value at the next write means another writer. */
    private int leftCount;

    private NtpShmSegment(NtpShmConfig config, int shmid, boolean created, Pointer address) {
        this.config = config;
        this.shmid = shmid;
        this.created = created;
        this.address = address;
        this.shm = address.getByteBuffer(0, ShmTime.SIZE).order(ByteOrder.nativeOrder());
    }

    /**
     * Creates the segment with the configured permissions, or attaches to the one that exists (made by an earlier
     * run, by chronyd or by ntpd), and marks it as holding no valid sample.
     */
    static NtpShmSegment open(NtpShmConfig config) throws NtpShmException {
        SysvShmCalls libc = SysvShmCalls.LIBC;
        int key = config.key();
        boolean created = true;
        int id = libc.shmget(key, ShmTime.SIZE, SysvShmCalls.IPC_CREAT | SysvShmCalls.IPC_EXCL | config.permissions());
        if (id < 0) {
            int errno = Native.getLastError();
            if (errno != EEXIST) {
                throw new NtpShmException(prefix(config) + ": cannot create the segment: " + Errno.describe(errno)
                        + "; check kernel.shmmni/shmall limits", false);
            }
            created = false;
            id = libc.shmget(key, ShmTime.SIZE, READ_WRITE);
            if (id < 0) {
                throw attachFailure(config, "shmget", Native.getLastError());
            }
        }
        Pointer address = libc.shmat(id, null, 0);
        if (Pointer.nativeValue(address) == -1L) {
            throw attachFailure(config, "shmat", Native.getLastError());
        }
        NtpShmSegment segment = new NtpShmSegment(config, id, created, address);
        if (!created) {
            Optional<String> other = OtherWriter.find(config.unit(), segment.shm, System.currentTimeMillis(),
                    ProcessHandle.current().pid());
            if (other.isPresent()) {
                segment.close();
                throw new NtpShmException("NTP SHM " + prefix(config) + " is already written by another process ("
                        + other.get() + "): chronyd or ntpd would see its samples and ours alternate; stop that "
                        + "writer (an old phc2sys, another pps2phc) or give this instance its own ntpshm_segment",
                        false);
            }
        }
        segment.invalidate();
        return segment;
    }

    private static NtpShmException attachFailure(NtpShmConfig config, String call, int errno) {
        Optional<SegmentInfo> info = SegmentTable.find(config.unit());
        String found = info.map(SegmentInfo::describe).orElse(prefix(config));
        int euid = SysvShmCalls.LIBC.geteuid();
        String me = UserNames.describe(euid);
        if (errno == Errno.EACCES || errno == Errno.EPERM) {
            return new NtpShmException("NTP SHM " + found + " exists and pps2phc (" + me
                    + ") may not write it: stop chronyd/ntpd, remove it with 'ipcrm -M 0x"
                    + Integer.toHexString(config.key()) + "', and start pps2phc before them (Before=chrony.service) "
                    + "so that it creates the segment, or run pps2phc as the segment's owner", true);
        }
        if (errno == Errno.EINVAL && info.isPresent() && info.get().size() < ShmTime.SIZE) {
            return new NtpShmException("NTP SHM " + found + " is " + info.get().size() + " bytes, smaller than the "
                    + ShmTime.SIZE + "-byte struct shmTime (made by a 32-bit program?): stop its users and remove it "
                    + "with 'ipcrm -M 0x" + Integer.toHexString(config.key()) + "'", false);
        }
        return new NtpShmException("NTP SHM " + found + ": " + call + " failed: " + Errno.describe(errno), false);
    }

    private static String prefix(NtpShmConfig config) {
        return String.format("unit %d (key 0x%08x)", config.unit(), config.key());
    }

    boolean created() {
        return created;
    }

    /** Owner, mode and attachments now (IPC_STAT). */
    SegmentInfo info() throws NtpShmException {
        byte[] ds = new byte[SysvShmCalls.SHMID_DS_SIZE];
        if (SysvShmCalls.LIBC.shmctl(shmid, SysvShmCalls.IPC_STAT, ds) != 0) {
            throw new NtpShmException("NTP SHM " + prefix(config) + ": IPC_STAT failed: "
                    + Errno.describe(Native.getLastError()), false);
        }
        ByteBuffer b = ByteBuffer.wrap(ds).order(ByteOrder.nativeOrder());
        int uid = b.getInt(SysvShmCalls.SHMID_DS_UID);
        return new SegmentInfo(config.unit(), uid, UserNames.name(uid), b.getInt(SysvShmCalls.SHMID_DS_MODE) & 0777,
                b.getLong(SysvShmCalls.SHMID_DS_SEGSZ), (int) b.getLong(SysvShmCalls.SHMID_DS_NATTCH));
    }

    /**
     * Publishes one sample: valid = 0, count + 1, fence, the fields, count + 2, valid = 1 (see the class comment).
     *
     * @return the count found when it is not the one this writer left (another process wrote in between), else -1
     */
    long write(ShmTime t) {
        if (detached) {
            return -1;
        }
        int count = (int) INT.getOpaque(shm, ShmTime.COUNT);
        long foreign = count == leftCount ? -1 : count & 0xffffffffL;
        shm.putInt(ShmTime.MODE, 1);
        INT.setOpaque(shm, ShmTime.VALID, 0);
        INT.setRelease(shm, ShmTime.COUNT, count + 1);
        VarHandle.releaseFence();
        shm.putLong(ShmTime.CLOCK_SEC, t.clockSec());
        shm.putInt(ShmTime.CLOCK_USEC, t.clockUsec());
        shm.putInt(ShmTime.CLOCK_NSEC, t.clockNsec());
        shm.putLong(ShmTime.RECEIVE_SEC, t.receiveSec());
        shm.putInt(ShmTime.RECEIVE_USEC, t.receiveUsec());
        shm.putInt(ShmTime.RECEIVE_NSEC, t.receiveNsec());
        shm.putInt(ShmTime.LEAP, t.leap());
        shm.putInt(ShmTime.PRECISION, t.precision());
        INT.setRelease(shm, ShmTime.COUNT, count + 2);
        INT.setRelease(shm, ShmTime.VALID, 1);
        leftCount = count + 2;
        return foreign;
    }

    /**
     * valid = 0, then count + 2 so that a reader in the middle of a copy drops it too: nothing is left to read as
     * fresh. count stays even whenever no write is in progress.
     */
    void invalidate() {
        if (detached) {
            return;
        }
        int count = (int) INT.getOpaque(shm, ShmTime.COUNT);
        shm.putInt(ShmTime.MODE, 1);
        INT.setOpaque(shm, ShmTime.VALID, 0);
        INT.setRelease(shm, ShmTime.COUNT, count + 2);
        leftCount = count + 2;
    }

    /** Detaches. The segment itself stays: chronyd or ntpd keep it attached, and the next run finds it. */
    @Override
    public void close() {
        if (!detached) {
            detached = true;
            SysvShmCalls.LIBC.shmdt(address);
        }
    }

    /** /proc/sysvipc/shm, which shows owner and mode even of segments we may not IPC_STAT. */
    static final class SegmentTable {
        private static final Path TABLE = Path.of("/proc/sysvipc/shm");

        private SegmentTable() {
        }

        /** shm_cpid and shm_lpid of the unit's segment, {0, 0} when it cannot be seen. */
        static long[] creatorAndLastAttacher(int unit) {
            try {
                for (String[] f : rows()) {
                    if (f.length >= 6 && Long.parseLong(f[0]) == NtpShmConfig.key(unit)) {
                        return new long[] {Long.parseLong(f[4]), Long.parseLong(f[5])};
                    }
                }
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0};
            }
            return new long[] {0, 0};
        }

        private static List<String[]> rows() throws IOException {
            List<String> lines = Files.readAllLines(TABLE);
            return lines.subList(Math.min(1, lines.size()), lines.size()).stream()
                    .map(l -> l.trim().split("\\s+")).toList();
        }

        static Optional<SegmentInfo> find(int unit) {
            try {
                List<String> lines = Files.readAllLines(TABLE);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    // key shmid perms size cpid lpid nattch uid gid cuid cgid ...
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 8 && Long.parseLong(f[0]) == NtpShmConfig.key(unit)) {
                        int uid = Integer.parseInt(f[7]);
                        return Optional.of(new SegmentInfo(unit, uid, UserNames.name(uid),
                                Integer.parseInt(f[2], 8) & 0777, Long.parseLong(f[3]), Integer.parseInt(f[6])));
                    }
                }
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }
    }
}
