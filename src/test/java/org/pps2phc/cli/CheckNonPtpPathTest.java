package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.pps2phc.os.NativeLibraries;

/** {@code pps2phc check PATH} on this machine's kernel refuses a path that is no PTP device before opening it. */
class CheckNonPtpPathTest {
    @Test
    void checkEtcPasswdIsOneLineAnd69WithoutOpeningIt() {
        assertEquals("c", NativeLibraries.libc(), "this test runs on the real kernel, not the fake one");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertEquals(69, cl.execute("check", "/etc/passwd"));
        assertEquals("pps2phc: /etc/passwd is not a PTP hardware clock (it is a regular file): give /dev/ptpN or the "
                + "network interface; 'pps2phc check' lists this machine's PHCs\n", err.toString());
    }
}
