package org.pps2phc.ntpshm;

/**
 * Who owns an NTP SHM segment and how it is open, as {@code shmctl(IPC_STAT)} or /proc/sysvipc/shm tells it.
 *
 * @param unit     the NTP SHM unit (key = 0x4E545030 + unit)
 * @param ownerUid the segment's owner (ipc_perm.uid)
 * @param owner    the owner's user name, or "uid N" when it has none
 * @param mode     the permission bits (ipc_perm.mode &amp; 0777)
 * @param size     the segment's size in bytes
 * @param attached how many processes have it attached (shm_nattch), this one included
 */
public record SegmentInfo(int unit, int ownerUid, String owner, int mode, long size, int attached) {
    public int key() {
        return NtpShmConfig.key(unit);
    }

    /** "unit 2 (key 0x4e545032, owner root uid 0, mode 0600)". */
    public String describe() {
        String who = owner.equals("uid " + ownerUid) ? owner : owner + " uid " + ownerUid;
        return String.format("unit %d (key 0x%08x, owner %s, mode %04o)", unit, key(), who, mode);
    }

    /** Group or others may write it, so someone else could feed the clock consumer. */
    public boolean writableByOthers() {
        return (mode & 0022) != 0;
    }
}
