# lintian checks the .deb that `mvn package` builds (DebPackageTest, in `mvn verify`);
# fakeroot lets dpkg-deb inspect it the way a build daemon would.
apt_install lintian fakeroot
