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
import org.pps2phc.core.LeapTable;

/**
 * Where TAI-UTC comes from, in order: the kernel's TAI offset, else the leap-seconds.list file, else the configured
 * {@code utc_offset}. The pending leap second comes from chrony's leap status when chrony is synchronised, else from
 * the leap file. An expired file is a warning, never a stop: its last offset keeps working. The file is re-read when
 * its modification time changes.
 */
public final class TaiUtcSource {
    public static final Path DEFAULT_LEAPFILE = Path.of("/usr/share/zoneinfo/leap-seconds.list");
    /** TAI-UTC assumed when nothing is known, only so that a state can be shown; verdicts are untrusted then. */
    static final int PLACEHOLDER_OFFSET = 37;

    private final KernelTaiSource kernel;
    private final Path leapfile;
    private final boolean leapfileConfigured;
    private final OptionalInt configuredOffset;
    private final Clock wallClock;

    private FileTime loadedMtime;
    private LeapTable table;
    private String tableProblem;

    /**
     * @param kernel             the kernel's TAI offset ({@link KernelTaiSource#none()} where not wired)
     * @param leapfile           the leap-seconds.list to read; empty for the default path
     * @param configuredOffset   the {@code utc_offset} from the configuration, the last resort
     * @param wallClock          UTC now (for the table's expiry and pending leap seconds)
     */
    public TaiUtcSource(KernelTaiSource kernel, Optional<Path> leapfile, OptionalInt configuredOffset,
                        Clock wallClock) {
        this.kernel = kernel;
        this.leapfile = leapfile.orElse(DEFAULT_LEAPFILE);
        this.leapfileConfigured = leapfile.isPresent();
        this.configuredOffset = configuredOffset;
        this.wallClock = wallClock;
    }

    /**
     * @param chronyLeapStatus chrony's tracking leap status (0 normal, 1 insert, 2 delete, 3 unsynchronised) or
     *                         empty when chrony did not answer
     */
    public LeapReport current(OptionalInt chronyLeapStatus) {
        long nowS = Math.floorDiv(wallClock.millis(), 1000L);
        List<String> warnings = new ArrayList<>();
        Optional<LeapTable> file = leapTable(warnings);
        String fileName = "leapfile " + leapfile;
        if (file.isPresent() && file.get().expiredAt(nowS)) {
            String expired = "expired " + LeapTable.utcDate(file.get().expiresUtcS().getAsLong());
            fileName += " (" + expired + ")";
            warnings.add("leap file " + leapfile + " " + expired + ": TAI-UTC " + file.get().lastOffset()
                    + " kept from its last entry, but a newly announced leap second would be missed;"
                    + " update tzdata or point 'leapfile' at a current leap-seconds.list");
        }
        Optional<LeapState> fromFile = file.map(t -> t.stateAt(nowS, "leapfile"));

        int offset;
        String source;
        boolean known = true;
        OptionalInt k = kernel.taiOffset();
        if (k.isPresent()) {
            offset = k.getAsInt();
            source = "kernel";
            fromFile.filter(f -> f.taiMinusUtcS() != k.getAsInt()).ifPresent(f -> warnings.add(
                    "kernel TAI offset " + k.getAsInt() + " disagrees with " + leapfile + " (" + f.taiMinusUtcS()
                    + "); using the kernel's"));
        } else if (fromFile.isPresent()) {
            offset = fromFile.get().taiMinusUtcS();
            source = fileName;
        } else if (configuredOffset.isPresent()) {
            offset = configuredOffset.getAsInt();
            source = "config utc_offset";
        } else {
            offset = PLACEHOLDER_OFFSET;
            source = "unknown";
            known = false;
            warnings.add("TAI-UTC unknown: the kernel's TAI offset is not set, no usable leap file ("
                    + leapfile + "), no utc_offset configured");
        }

        Leap pending = Leap.NONE;
        long leapAt = 0;
        int chrony = chronyLeapStatus.orElse(-1);
        // chrony announces a leap second on its day, the last of a month; just after midnight its status may lag
        // until its next clock update, which must not announce a leap for the end of the new day
        boolean lastDayOfMonth = LeapTable.nextUtcMidnight(nowS) == LeapTable.startOfNextUtcMonth(nowS);
        if ((chrony == 1 || chrony == 2) && lastDayOfMonth) {
            pending = chrony == 1 ? Leap.INSERT : Leap.DELETE;
            leapAt = LeapTable.nextUtcMidnight(nowS);
            source += ", leap from chrony";
        } else if (fromFile.isPresent() && fromFile.get().pending() != Leap.NONE) {
            pending = fromFile.get().pending();
            leapAt = fromFile.get().leapAtUtcS();
            source += ", leap from leapfile";
        }
        return new LeapReport(new LeapState(offset, pending, leapAt, source), known, warnings);
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
