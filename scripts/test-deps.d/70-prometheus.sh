# prometheus and promtool for the metrics tests (org.pps2phc.metrics): promtool checks and unit-tests
# conf/prometheus/pps2phc-rules.yml, and a real prometheus, started by the test on a port in 12500-12599 with its
# own data dir and config, scrapes `pps2phc run --simulate`. policy-rc.d keeps the packaged service from starting.
apt_install prometheus
