package org.pps2phc.ptp4l;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Linuxptp's own pmc, as the independent witness of what ptp4l holds. */
final class Pmc {
    private final Ptp4lInstance ptp4l;
    private final Path clientAddress;

    Pmc(Ptp4lInstance ptp4l, Path dir) {
        this.ptp4l = ptp4l;
        this.clientAddress = dir.resolve("pmc.sock");
    }

    /**
     * Runs {@code pmc -u -b 0 -d DOMAIN -s UDS -i CLIENT 'GET what'} and returns the fields of the reply
     * ("clockClass" → "6"); empty when pmc got no answer.
     */
    Map<String, String> get(String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Ptp4lInstance.PMC.toString(), "-u", "-b", "0",
                "-d", Integer.toString(ptp4l.domainNumber()), "-t", Integer.toString(ptp4l.transportSpecific()), "-s", ptp4l.udsAddress().toString(),
                "-i", clientAddress.toString(), "GET " + what)
                .redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                fail("pmc did not finish within 10 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> fields = new LinkedHashMap<>();
            boolean inReply = false;
            for (String line : out.split("\n")) {
                if (line.contains("RESPONSE MANAGEMENT " + what)) {
                    inReply = true;
                } else if (inReply && line.startsWith("\t\t")) {
                    String[] kv = line.trim().split("\\s+", 2);
                    fields.put(kv[0], kv.length > 1 ? kv[1] : "");
                } else if (inReply) {
                    inReply = false;
                }
            }
            return fields;
        } finally {
            p.destroyForcibly();
        }
    }
}
