package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The class list the launcher builds its class-data archive from (src/main/cds/pps2phc.classlist, the classes
 * `pps2phc run` loads on a device) names pps2phc's classes as they are: a class renamed or gone would silently
 * fall out of the archive. docs/design.md ("Footprint") says how to regenerate it.
 */
class ClassListTest {
    private static final Path LIST = Path.of("src/main/cds/pps2phc.classlist");

    private static List<String> ownClasses() throws Exception {
        return Files.readAllLines(LIST).stream()
                .filter(l -> !l.startsWith("#") && !l.startsWith("@") && !l.isBlank())
                .map(l -> l.split(" ")[0])
                .filter(c -> c.startsWith("org/pps2phc/"))
                .filter(c -> !c.contains("/$Proxy")) // JNA's interfaces' dynamic proxies, which no archive holds
                .toList();
    }

    @Test
    void everyPps2phcClassInTheListExists() throws Exception {
        List<String> missing = ownClasses().stream().filter(c -> {
            try {
                Class.forName(c.replace('/', '.'), false, ClassListTest.class.getClassLoader());
                return false;
            } catch (ClassNotFoundException e) {
                return true;
            }
        }).toList();
        assertEquals(List.of(), missing, "gone from the build: regenerate " + LIST);
    }

    @Test
    void theListIsTheDaemonsOnADevice() throws Exception {
        List<String> own = ownClasses();
        for (Class<?> c : new Class<?>[] {Daemon.class, DeviceAssembly.class, org.pps2phc.linux.ExttsChannel.class,
            org.pps2phc.chrony.CmdmonClient.class}) {
            assertTrue(own.contains(c.getName().replace('.', '/')), c.getName() + " is not in " + LIST);
        }
    }
}
