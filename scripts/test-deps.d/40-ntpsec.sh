# ntpd from ntpsec for the ntpshm tests. The ntpsec package conflicts with chrony, so it is not installed:
# its .deb is downloaded and extracted into a cache dir, and the tests run that ntpd and ntpq from there.
# ntpq is a Python script that needs the python3-ntp module, which does not conflict and is installed normally.
apt_install python3 python3-ntp libbsd0 libcap2 libssl3
ntpsec_dir=/var/cache/pps2phc-test/ntpsec
if [ ! -x "$ntpsec_dir/usr/sbin/ntpd" ] || [ ! -x "$ntpsec_dir/usr/bin/ntpq" ]; then
    if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
    ntpsec_tmp=$(mktemp -d)
    (cd "$ntpsec_tmp" && apt-get download -qq -o APT::Sandbox::User=root ntpsec)
    rm -rf "$ntpsec_dir" && mkdir -p "$ntpsec_dir"
    dpkg-deb -x "$ntpsec_tmp"/ntpsec_*.deb "$ntpsec_dir"
    rm -rf "$ntpsec_tmp"
fi
