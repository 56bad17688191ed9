package org.pps2phc.chrony;

import org.pps2phc.core.port.KernelTaiSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.LeapSnapshot;
import org.pps2phc.core.LeapTable;

/**
 * TAI-UTC and the pending leap second, from every source the machine has: the kernel (its TAI offset and time state,
 * one adjtimex read), chrony's leap status, the leap-seconds.list file and the configured {@code utc_offset},
 * reconciled by {@link LeapSnapshot} (a current leap file first, then the kernel, then chrony, then the
 * configuration). Disagreements are warnings naming what each source says. An expired file is a warning, never a
 * stop: its last offset keeps working. The file is re-read when its modification time changes.
 */
public final class TaiUtcSource {
    public static final Path DEFAULT_LEAPFILE = Path.of("/usr/share/zoneinfo/leap-seconds.list");
    private static final long DAY_S = 86_400L;

    /** The kernel's leap view, one adjtimex read; empty when it cannot be read. */
    @FunctionalInterface
    public interface KernelLeapReader {
        Optional<LeapSnapshot.Kernel> read();
    }

    private final KernelLeapReader kernel;
    private final Path leapfile;
    /** "leapfile /usr/share/zoneinfo/leap-seconds.list": how the reconciliation names the file. */
    private final String leapfileName;
    private final boolean leapfileConfigured;
    private final OptionalInt configuredOffset;
    private final Clock wallClock;

    private FileTime loadedMtime;
    private LeapTable table;
    private String tableProblem;

    /*
     * The last report and what it was made from. The reconciliation depends on the UTC day of the query, not its
     * second, so while the kernel, chrony, the table (the same object until its file's mtime changes), its expiry
     * and the file's own warnings stay as they were, the report is the same and is not made again.
     */
    private final List<String> fileWarnings = new ArrayList<>();
    private LeapReport lastReport;
    private long lastDay;
    private Optional<LeapSnapshot.Kernel> lastKernel;
    private int lastChronyStatus;
    private LeapTable lastTable;
    private boolean lastExpired;
    private List<String> lastFileWarnings;

    /**
     * @param kernel             the kernel's TAI offset and time state
     * @param leapfile           the leap-seconds.list to read; empty for the default path
     * @param configuredOffset   the {@code utc_offset} from the configuration, the last resort
     * @param wallClock          UTC now (for the table's expiry and pending leap seconds)
     */
    public TaiUtcSource(KernelLeapReader kernel, Optional<Path> leapfile, OptionalInt configuredOffset,
                        Clock wallClock) {
        this.kernel = kernel;
        this.leapfile = leapfile.orElse(DEFAULT_LEAPFILE);
        this.leapfileName = "leapfile " + this.leapfile;
        this.leapfileConfigured = leapfile.isPresent();
        this.configuredOffset = configuredOffset;
        this.wallClock = wallClock;
    }

    /** With the kernel's TAI offset only (no time state), as {@link KernelTaiSource} gives it. */
    public TaiUtcSource(KernelTaiSource kernel, Optional<Path> leapfile, OptionalInt configuredOffset,
                        Clock wallClock) {
        this(() -> {
            OptionalInt tai = kernel.taiOffset();
            return tai.isPresent() ? Optional.of(LeapSnapshot.Kernel.offsetOnly(tai.getAsInt())) : Optional.empty();
        }, leapfile, configuredOffset, wallClock);
    }

    /**
     * @param chronyLeapStatus chrony's tracking leap status (0 normal, 1 insert, 2 delete, 3 unsynchronised) or
     *                         empty when chrony did not answer
     */
    public LeapReport current(OptionalInt chronyLeapStatus) {
        long nowS = Math.floorDiv(wallClock.millis(), 1000L);
        fileWarnings.clear();
        Optional<LeapTable> file = leapTable(fileWarnings);
        boolean expired = file.isPresent() && file.get().expiredAt(nowS);
        Optional<LeapSnapshot.Kernel> kernelView = kernel.read();
        int status = chronyLeapStatus.orElse(-1);
        long day = Math.floorDiv(nowS, DAY_S);
        if (lastReport != null && day == lastDay && status == lastChronyStatus && file.orElse(null) == lastTable
                && expired == lastExpired && kernelView.equals(lastKernel) && fileWarnings.equals(lastFileWarnings)) {
            return lastReport;
        }
        LeapReport report = reconcile(nowS, file, expired, kernelView, status);
        lastReport = report;
        lastDay = day;
        lastChronyStatus = status;
        lastTable = file.orElse(null);
        lastExpired = expired;
        lastKernel = kernelView;
        lastFileWarnings = new ArrayList<>(fileWarnings);
        return report;
    }

    private LeapReport reconcile(long nowS, Optional<LeapTable> file, boolean expired,
                                 Optional<LeapSnapshot.Kernel> kernelView, int chronyStatus) {
        List<String> warnings = new ArrayList<>(fileWarnings);
        String fileName = leapfileName;
        if (expired) {
            String expiry = "expired " + LeapTable.utcDate(file.get().expiresUtcS().getAsLong());
            fileName += " (" + expiry + ")";
            warnings.add("leap file " + leapfile + " " + expiry + ": TAI-UTC " + file.get().lastOffset()
                    + " kept from its last entry, but a newly announced leap second would be missed;"
                    + " update tzdata or point 'leapfile' at a current leap-seconds.list");
        }
        Optional<Leap> chrony = switch (chronyStatus) {
            case 0 -> Optional.of(Leap.NONE);
            case 1 -> Optional.of(Leap.INSERT);
            case 2 -> Optional.of(Leap.DELETE);
            default -> Optional.empty();
        };
        LeapSnapshot.Result r = LeapSnapshot.reconcile(new LeapSnapshot.Inputs(nowS, kernelView, chrony, file,
                fileName, configuredOffset));
        warnings.addAll(r.disagreements());
        if (!r.known()) {
            warnings.add("TAI-UTC unknown: the kernel's TAI offset is not set, no usable leap file ("
                    + leapfile + "), no utc_offset configured");
        }
        return new LeapReport(r.state(), r.known(), warnings);
    }

    private Optional<LeapTable> leapTable(List<String> warnings) {
        FileTime mtime;
        try {
            mtime = Files.getLastModifiedTime(leapfile);
        } catch (NoSuchFileException e) {
            table = null;
            loadedMtime = null;
            if (leapfileConfigured) {
                warnings.add("leap file " + leapfile + " does not exist (check 'leapfile')");
            }
            return Optional.empty();
        } catch (IOException e) {
            warnings.add("cannot read leap file " + leapfile + ": " + e.getMessage());
            return Optional.ofNullable(table);
        }
        if (!mtime.equals(loadedMtime)) {
            loadedMtime = mtime;
            try {
                table = LeapTable.parse(readAtMostMaxBytes(leapfile), leapfile.toString());
                tableProblem = table.hashStatus() == LeapTable.HashStatus.MISMATCH
                        ? "leap file " + leapfile + " does not match its '#h' SHA-1 line: ignored (damaged or edited)"
                        : null;
                if (tableProblem != null) {
                    table = null;
                }
            } catch (IOException | IllegalArgumentException e) {
                table = null;
                tableProblem = "leap file ignored: " + e.getMessage();
            }
        }
        if (tableProblem != null) {
            warnings.add(tableProblem);
        }
        return Optional.ofNullable(table);
    }

    /** The file's bytes, but no more than one past {@link LeapTable#MAX_BYTES}: a device or a huge file is refused. */
    static byte[] readAtMostMaxBytes(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file (a leap-seconds.list is)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(LeapTable.MAX_BYTES + 1);
        }
    }
}
