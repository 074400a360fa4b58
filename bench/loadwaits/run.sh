#!/bin/bash
# Runs TestLoad on PostgreSQL with PROCS server processes from the source
# tree SRC, and samples what the run's database backends wait on
# (pg_stat_activity, 40 samples 0.5 s apart, from 5 s into the run).
# Writes OUT.log (TestLoad's report) and OUT.samples (one line per backend
# and sample: wait, state; then the load average).
#
#   SOTAY_TEST_POSTGRES=postgres://… bench/loadwaits/run.sh SRC PROCS OUT
#   grep -v '^go ' OUT.samples | sort | uniq -c | sort -rn
set -u
src=$1; procs=$2; out=$3
: "${SOTAY_TEST_POSTGRES:?set SOTAY_TEST_POSTGRES}"
cd "$src"
SOTAY_LOAD=1 SOTAY_LOAD_DB=postgres SOTAY_LOAD_CLIENTS=60 SOTAY_LOAD_DURATION=30s SOTAY_LOAD_PROCS=$procs \
  go test -count=1 -timeout 20m -run '^TestLoad$' -v ./internal/cli > "$out.log" 2>&1 &
gopid=$!
# The run starts once the clients are signed in.
while kill -0 $gopid 2>/dev/null && ! grep -q "signed in" "$out.log"; do sleep 1; done
tpid=$(pgrep -P $gopid | head -1) # the test binary: its databases are sotay_test_<pid>_N
echo "go $gopid test $tpid" > "$out.samples"
sleep 5
for _ in $(seq 40); do
  psql -X -A -t -d "$SOTAY_TEST_POSTGRES" -c "SELECT coalesce(wait_event_type||':'||wait_event,'cpu')||' '||state FROM pg_stat_activity WHERE datname LIKE 'sotay_test_${tpid}_%' AND backend_type='client backend' AND pid <> pg_backend_pid()" >> "$out.samples"
  sleep 0.5
done
cat /proc/loadavg >> "$out.samples"
wait $gopid
echo "rc $?" >> "$out.log"
