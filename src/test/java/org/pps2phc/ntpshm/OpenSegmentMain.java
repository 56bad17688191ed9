package org.pps2phc.ntpshm;

/**
 * Opens an NTP SHM unit the way the daemon does and reports the outcome; run by {@link NtpShmSinkTest} as another
 * user to see the permission message a non-root pps2phc gets. Exit 0 opened, 77 permission problem, 1 other failure.
 */
public final class OpenSegmentMain {
    private OpenSegmentMain() {
    }

    public static void main(String[] args) {
        try (NtpShmSink sink = NtpShmSink.open(new NtpShmConfig(Integer.parseInt(args[0])))) {
            System.out.println("opened " + sink.segmentInfo().describe());
            System.exit(0);
        } catch (NtpShmException e) {
            System.out.println(e.getMessage());
            System.exit(e.permissionProblem() ? 77 : 1);
        }
    }
}
