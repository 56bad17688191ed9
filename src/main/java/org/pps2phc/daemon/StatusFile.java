package org.pps2phc.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's status file ({@code status.json} in the status directory), written whole to a temporary file and
 * renamed over the old one, so a reader never sees half of it. Written by one thread (the event loop's), with
 * buffers kept from one write to the next.
 */
public final class StatusFile {
    public static final String NAME = "status.json";

    private final Path file;
    private final Path temp;
    /** Readable by all (the unit's UMask is stricter): the status is no secret and 'pps2phc status' needs no root. */
    private final Set<PosixFilePermission> readableByAll = PosixFilePermissions.fromString("rw-r--r--");
    /** Files.write's default options. */
    private static final Set<OpenOption> CREATE_AND_TRUNCATE = Set.of(StandardOpenOption.WRITE,
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    /* The buffers of a write, kept for the next one: the daemon writes the file every second. */
    private final StringBuilder json = new StringBuilder(1024);
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder();
    private CharBuffer chars = CharBuffer.allocate(1024);
    private ByteBuffer bytes = ByteBuffer.allocate(3072);

    public StatusFile(Path dir) {
        this.file = dir.resolve(NAME);
        this.temp = dir.resolve("." + NAME + ".tmp");
    }

    public Path path() {
        return file;
    }

    public void write(DaemonStatus status) throws IOException {
        json.setLength(0);
        status.appendJson(json);
        ByteBuffer content = encoded(json);
        try (FileChannel out = FileChannel.open(temp, CREATE_AND_TRUNCATE)) {
            while (content.hasRemaining()) {
                out.write(content);
            }
        }
        Files.setPosixFilePermissions(temp, readableByAll);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The text in UTF-8, in {@link #bytes} (grown when too small), as Files.writeString would write it. */
    private ByteBuffer encoded(StringBuilder text) throws IOException {
        if (chars.capacity() < text.length()) {
            chars = CharBuffer.allocate(text.length() * 2);
        }
        text.getChars(0, text.length(), chars.array(), 0);
        chars.position(0).limit(text.length());
        int most = (int) Math.ceil(text.length() * (double) utf8.maxBytesPerChar());
        if (bytes.capacity() < most) {
            bytes = ByteBuffer.allocate(most);
        }
        bytes.clear();
        utf8.reset();
        CoderResult result = utf8.encode(chars, bytes, true);
        if (!result.isUnderflow()) {
            result.throwException();
        }
        utf8.flush(bytes);
        return bytes.flip();
    }

    public void remove() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // nothing to do: status readers check that the pid lives
        }
    }

    /**
     * Refuses a status directory another running daemon writes: two instances sharing one would overwrite each
     * other's status, and the first to stop would delete the other's.
     *
     * @throws UserError 78 naming the other instance
     */
    public void claim(DaemonIdentity self) {
        Optional<DaemonIdentity> other;
        try {
            other = read().map(text -> DaemonStatus.fromJson(text).daemon());
        } catch (IOException | IllegalArgumentException e) {
            return; // unreadable: nothing running can be told from it, and the next write replaces it
        }
        if (other.isPresent() && !other.get().sameProcess(self) && other.get().running()) {
            throw new UserError(ExitCodes.CONFIG, "status_dir " + file.getParent() + " is in use by pps2phc instance "
                    + other.get().instance() + " (pid " + other.get().pid() + ", " + other.get().config()
                    + "): give each instance its own status_dir (" + self.config() + ")");
        }
    }

    /** The status as last written, or empty when there is no file. */
    public Optional<String> read() throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
