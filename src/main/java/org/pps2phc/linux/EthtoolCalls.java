package org.pps2phc.linux;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;

/** JNA binding of the ethtool ioctl (SIOCETHTOOL on any socket) used to find an interface's PHC. */
public interface EthtoolCalls extends Library {
    int AF_INET = 2;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    long SIOCETHTOOL = 0x8946;
    int ETHTOOL_GET_TS_INFO = 0x41;
    int IFNAMSIZ = 16;

    int socket(int domain, int type, int protocol);

    int ioctl(int fd, NativeLong request, Ifreq ifr);

    int close(int fd);

    /** struct ifreq with the ifr_data member of its union (40 bytes on LP64). */
    @Structure.FieldOrder({"ifr_name", "ifr_data", "pad"})
    class Ifreq extends PtpIoctls.Layout {
        public byte[] ifr_name = new byte[IFNAMSIZ];
        public Pointer ifr_data;
        public byte[] pad = new byte[16];

        public Ifreq() {
        }

        public Ifreq(String name, Pointer data) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, ifr_name, 0, Math.min(b.length, IFNAMSIZ - 1));
            ifr_data = data;
        }
    }

    /** struct ethtool_ts_info (44 bytes). */
    @Structure.FieldOrder({"cmd", "so_timestamping", "phc_index", "tx_types", "tx_reserved", "rx_filters",
        "rx_reserved"})
    class TsInfo extends PtpIoctls.Layout {
        public int cmd;
        public int so_timestamping;
        public int phc_index;
        public int tx_types;
        public int[] tx_reserved = new int[3];
        public int rx_filters;
        public int[] rx_reserved = new int[3];
    }
}
