#!/usr/bin/env bash
# Sharded evaluation on a real one-node Slurm cluster (Debian's slurm-wlm + munge), started and stopped by this script.
#
#   tests/cluster/run.sh            (as root; installs slurm-wlm and munge with apt-get when they are absent)
#
# Cases (each prints "cluster: PASS <name>" or "cluster: FAIL <name>: <why>"):
#   submit   `slurm submit` of the 3 demo checkpoints × 2 data files with --shards 4: the array and the afterok merge
#            job complete, and the outputs equal a single-process run (--batching static) byte for byte.
#   scancel  one array task is scancel'ed mid-run; resubmitting runs only that shard's missing units; outputs identical.
#   kill9    one shard process is killed with SIGKILL mid-run; resubmitting runs only its missing units; outputs identical.
#   probes   --probe_answers_from last: a second array (afterok the first) runs the answer probes; outputs identical.
#   noslurm  `slurm submit` with no sbatch on the PATH exits 2 with a one-line message.
# CLUSTER_CASES="probes noslurm" runs only those cases.
# The script ends with "cluster: N passed, M failed" and exits non-zero when a case failed. On exit (also on failure or
# interrupt) it stops exactly the daemons it started, by pid, and removes its temp dir (kept with KEEP_CLUSTER_TMP=1).
set -uo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
here="$repo/tests/cluster"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0; failed=0
pass() { echo "cluster: PASS $1"; passed=$((passed + 1)); }
case_dir=""
fail() {
  echo "cluster: FAIL $1${2:+: $2}"; failed=$((failed + 1))
  # The last lines of every task log of the failed case, for the CI log.
  if [ -n "$case_dir" ] && [ -d "$case_dir/slurm/logs" ]; then
    for f in "$case_dir"/slurm/logs/*.out; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 8 "$f" >&2; }; done
  fi
}
log() { echo "cluster: $*" >&2; }

T="$(mktemp -d /tmp/orz-cluster.XXXXXX)"
chmod 755 "$T"
started_pids=()

cleanup() {
  local rc=$?
  # Jobs still queued or running on this private cluster (a case that failed midway) are cancelled first, so no shard
  # process outlives the cluster.
  if [ -n "${SLURM_CONF:-}" ] && [ "${#started_pids[@]}" -ge 3 ]; then
    jobs="$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')"
    if [ -n "${jobs// /}" ]; then
      scancel $jobs 2>/dev/null
      for _ in $(seq 1 150); do [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.2; done
    fi
  fi
  # Stop exactly the daemons this script started, newest first, by pid.
  for ((i=${#started_pids[@]}-1; i>=0; i--)); do
    pid="${started_pids[$i]}"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
  done
  if [ "${KEEP_CLUSTER_TMP:-0}" = 1 ]; then log "kept $T"; else rm -rf "$T"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
  echo "cluster: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# ---------------------------------------------------------------------------------------------------------------------
# 1. Packages
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then fail setup "slurm-wlm/munge are not installed and this is not root"; finish; fi
  log "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurm-wlm munge >"$T/apt.log" 2>&1; }; then
    tail -20 "$T/apt.log" >&2; fail setup "apt-get install slurm-wlm munge failed"; finish
  fi
fi
# Debian's packages may have started their own services; this script uses only daemons it starts itself.

# ---------------------------------------------------------------------------------------------------------------------
# 2. Munge: key (created only when absent) and our own munged on a socket inside the temp dir
if [ ! -f /etc/munge/munge.key ]; then
  log "creating /etc/munge/munge.key"
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
fi
mkdir -p "$T/munge"; chown munge:munge "$T/munge"; chmod 755 "$T/munge"
setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground --force \
  --socket="$T/munge/munge.socket" --pid-file="$T/munge/munged.pid" --log-file="$T/munge/munged.log" \
  --seed-file="$T/munge/munged.seed" >"$T/munge/munged.out" 2>&1 &
started_pids+=($!)
for _ in $(seq 1 50); do [ -S "$T/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$T/munge/munge.socket" ] || { cat "$T/munge/munged.log" >&2 2>/dev/null; fail setup "munged did not start"; finish; }

# ---------------------------------------------------------------------------------------------------------------------
# 3. slurm.conf in the temp dir; slurmctld and slurmd in the foreground (their pids are ours)
host="$(hostname)"
cpus="$(nproc)"
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
port_base=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$T/state" "$T/spool" "$T/log"
cat >"$T/slurm.conf" <<EOF
ClusterName=orztest
SlurmctldHost=$host
SlurmctldPort=$port_base
SlurmdPort=$((port_base + 1))
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ReturnToService=2
MinJobAge=3600
KillWait=10
InactiveLimit=0
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$T/slurm.conf"
/usr/sbin/slurmctld -D -i -f "$SLURM_CONF" >"$T/log/slurmctld.out" 2>&1 &
started_pids+=($!)
/usr/sbin/slurmd -D -f "$SLURM_CONF" >"$T/log/slurmd.out" 2>&1 &
started_pids+=($!)
state=""
for _ in $(seq 1 120); do
  state="$(sinfo -h -o %t 2>/dev/null | head -n1)"
  [ "$state" = "idle" ] && break
  sleep 0.5
done
if [ "$state" != "idle" ]; then
  tail -20 "$T/log/slurmctld.log" "$T/log/slurmd.log" >&2 2>/dev/null
  fail setup "the node did not become idle (sinfo: '${state}')"; finish
fi
log "one-node cluster up: $host, $cpus CPUs, ${mem_mb} MB (SLURM_CONF=$SLURM_CONF)"

# ---------------------------------------------------------------------------------------------------------------------
# 4. The CLI, the data and the single-process reference
if ! dotnet build "$repo/samples/OrzDynamic.Cli" -v q -nologo >"$T/build.log" 2>&1; then
  tail -20 "$T/build.log" >&2; fail setup "building the CLI failed"; finish
fi
cli=(dotnet "$repo/samples/OrzDynamic.Cli/bin/Debug/net10.0/orz-dynamic.dll")
ck="$repo/samples/demo-checkpoints"
flags=(--checkpoint_paths "$ck/iter0" "$ck/iter1200" "$ck/iter2200" --data "$here/data/arith_a.json" "$here/data/arith_b.json"
       --custom_sentence "$repo/samples/demo-custom/arith_sentences.json" --generate_max_len 16 --batch_size 4)
checkpoints=(iter0 iter1200 iter2200)
log "single-process reference run"
# Shards are bit-identical to a single run with static batching (which `slurm submit` uses by default).
if ! "${cli[@]}" "${flags[@]}" --batching static --output_dir "$T/single" >"$T/single.log" 2>&1; then
  tail -20 "$T/single.log" >&2; fail setup "single-process run failed"; finish
fi

# same_outputs DIR: every file of the single-process run (json/jsonl/csv) is byte-identical in DIR; charts exist.
same_outputs() {
  local d="$1" f rel
  while IFS= read -r f; do
    rel="${f#"$T/single/"}"
    cmp -s "$f" "$d/$rel" || { echo "$rel differs"; return 1; }
  done < <(find "$T/single" -type f \( -name '*.json' -o -name '*.jsonl' -o -name '*.csv' \) | sort)
  for c in "${checkpoints[@]}"; do
    [ "$(wc -l <"$d/$c/results.jsonl")" -eq 17 ] || { echo "$c/results.jsonl has $(wc -l <"$d/$c/results.jsonl") records, expected 17"; return 1; }
    ls "$d/$c"/ld_comparison_*.png >/dev/null 2>&1 || { echo "$c: no comparison chart"; return 1; }
  done
  ls "$d"/ld_trends_*.png >/dev/null 2>&1 || { echo "no trend chart"; return 1; }
}

# submit DIR: runs `slurm submit`, sets array_id / merge_id / submitted_shards from its output.
submit() {
  local out
  out="$("${cli[@]}" slurm submit "${flags[@]}" --output_dir "$1" --shards 4 --cpus_per_task 1 --time 00:30:00 2>&1)" || { echo "$out" >&2; return 1; }
  echo "$out" >&2
  array_id="$(sed -n 's/^array job: *\([0-9]*\).*/\1/p' <<<"$out")"
  merge_id="$(sed -n 's/^merge job: *\([0-9]*\).*/\1/p' <<<"$out")"
  submitted_shards="$(sed -n 's/^array job: .*(shards \(.*\))$/\1/p' <<<"$out")"
  [ -n "$merge_id" ]
}

job_state() { scontrol -o show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort -u | tr '\n' ' ' | sed 's/ $//'; }
job_reason() { scontrol -o show job "$1" 2>/dev/null | sed -n 's/.* Reason=\([^ ]*\).*/\1/p' | head -n1; }

# wait_done JOB [SECONDS]: until no task of JOB is pending/running (array: every task), or timeout.
wait_done() {
  local job="$1" limit="${2:-1800}" s
  for _ in $(seq 1 "$limit"); do
    s="$(job_state "$job")"
    # A merge job whose dependency can never be met stays PENDING: report that instead of waiting forever.
    if [ "$s" = PENDING ] && [ "$(job_reason "$job")" = DependencyNeverSatisfied ]; then echo "PENDING(DependencyNeverSatisfied)"; return 0; fi
    case " $s " in *" PENDING "*|*" RUNNING "*|*" CONFIGURING "*|*" COMPLETING "*) sleep 1 ;; *) echo "$s"; return 0 ;; esac
  done
  echo "TIMEOUT($s)"; return 1
}

# wait_running_with_sample DIR: a shard K whose task is running and whose first journal has >= 1 record; prints K.
wait_running_with_sample() {
  local d="$1" k j
  for _ in $(seq 1 3000); do
    for k in 0 1 2 3; do
      for j in "$d/shards/shard-000$k"/unit-*.jsonl; do
        [ -s "$j" ] || continue
        if "${cli[@]}" shard status "$d" 2>/dev/null | grep -q "^shard $k: [0-9]*/[0-9]* units complete" && \
           ! "${cli[@]}" shard status "$d" 2>/dev/null | grep -Eq "^shard $k: ([0-9]+)/\1 units complete"; then
          echo "$k"; return 0
        fi
      done
    done
    sleep 0.2
  done
  return 1
}

checksums() { (cd "$1/shards" && find . -name '*.jsonl' -newer "$1/plan.json" -print0 | sort -z | xargs -0 -r md5sum); }

# ---------------------------------------------------------------------------------------------------------------------
# Case submit
case_submit() {
  local d="$T/submit" s why
  case_dir="$d"
  submit "$d" || { fail submit "slurm submit failed"; return; }
  [ "$submitted_shards" = "0-3" ] || { fail submit "submitted shards '$submitted_shards', expected 0-3"; return; }
  s="$(wait_done "$array_id")"; [ "$s" = COMPLETED ] || { fail submit "array $array_id ended $s"; return; }
  s="$(wait_done "$merge_id")"; [ "$s" = COMPLETED ] || { fail submit "merge job $merge_id ended $s"; return; }
  why="$(same_outputs "$d")" || { fail submit "$why"; return; }
  pass submit
}

# Case scancel / kill9: interrupt one shard mid-run, let the others finish, resubmit, compare.
case_interrupt() {
  local name="$1" d="$T/$1" k s why before after pid rerun_log
  case_dir="$d"
  submit "$d" || { fail "$name" "slurm submit failed"; return; }
  k="$(wait_running_with_sample "$d")" || { fail "$name" "no shard was seen running with a journaled sample"; return; }
  if [ "$name" = scancel ]; then
    scancel "${array_id}_${k}"
  else
    pid="$(pgrep -f -- "shard run --plan $d/plan.json" | while read -r p; do
             tr '\0' '\n' </proc/"$p"/environ 2>/dev/null | grep -qx "SLURM_ARRAY_TASK_ID=$k" && echo "$p"; done | head -n1)"
    [ -n "$pid" ] || { fail "$name" "shard $k process not found"; return; }
    kill -9 "$pid"
  fi
  log "$name: interrupted shard $k of array $array_id"
  s="$(wait_done "$array_id")"
  case "$s" in *COMPLETED*) ;; *) fail "$name" "array ended '$s'"; return ;; esac
  case "$s" in *CANCELLED*|*FAILED*) ;; *) fail "$name" "the interrupted task did not fail or cancel: '$s'"; return ;; esac
  s="$(wait_done "$merge_id" 60)"
  [ "$s" = "PENDING(DependencyNeverSatisfied)" ] || [ "$s" = CANCELLED ] || { fail "$name" "merge job after a failed array: '$s'"; return; }
  if "${cli[@]}" merge "$d" >/dev/null 2>&1; then fail "$name" "merge of an incomplete plan succeeded"; return; fi
  "${cli[@]}" shard status "$d" >&2
  local done_k total_k
  read -r done_k total_k < <("${cli[@]}" shard status "$d" | sed -n "s/^shard $k: .* \([0-9]*\)\/\([0-9]*\) samples$/\1 \2/p")
  before="$(checksums "$d" | grep -v "shard-000$k/")"
  submit "$d" || { fail "$name" "resubmit failed"; return; }
  [ "$submitted_shards" = "$k" ] || { fail "$name" "resubmitted shards '$submitted_shards', expected only $k"; return; }
  s="$(wait_done "$array_id")"; [ "$s" = COMPLETED ] || { fail "$name" "rerun array $array_id ended $s"; return; }
  s="$(wait_done "$merge_id")"; [ "$s" = COMPLETED ] || { fail "$name" "merge job $merge_id ended $s"; return; }
  after="$(checksums "$d" | grep -v "shard-000$k/")"
  [ "$before" = "$after" ] || { fail "$name" "journals of shards other than $k changed on resubmission"; return; }
  rerun_log="$(ls -t "$d/slurm/logs/shard-$k.$array_id.out" 2>/dev/null | head -n1)"
  grep -q "already complete, $((total_k - done_k)) sample(s) written" "$rerun_log" 2>/dev/null || \
    { fail "$name" "the rerun of shard $k did not write exactly its $((total_k - done_k)) missing samples ($(grep 'sample(s) written' "$rerun_log" 2>/dev/null | tail -n1))"; return; }
  why="$(same_outputs "$d")" || { fail "$name" "$why"; return; }
  pass "$name"
}

# Case probes: --probe_answers_from last. The reference (iter2200) is answered by some shards while every shard holds
# an answer-probe unit, so `slurm submit` adds a second array (the shards with probe units, afterok the first) and the
# merge job waits for it; the outputs (json/jsonl/csv, and the top-level charts and heatmaps) equal a single run's.
case_probes() {
  local d="$T/probes" s out probe_id f rel
  local pflags=(--probe_answers_from last --heatmap_samples 2)
  case_dir="$d"
  if ! "${cli[@]}" "${flags[@]}" "${pflags[@]}" --batching static --output_dir "$T/single-probes" >"$T/single-probes.log" 2>&1; then
    tail -20 "$T/single-probes.log" >&2; fail probes "single-process run with probes failed"; return
  fi
  out="$("${cli[@]}" slurm submit "${flags[@]}" "${pflags[@]}" --output_dir "$d" --shards 4 --cpus_per_task 1 --time 00:30:00 2>&1)" || \
    { echo "$out" >&2; fail probes "slurm submit failed"; return; }
  echo "$out" >&2
  array_id="$(sed -n 's/^array job: *\([0-9]*\).*/\1/p' <<<"$out")"
  probe_id="$(sed -n 's/^probe array: *\([0-9]*\).*/\1/p' <<<"$out")"
  merge_id="$(sed -n 's/^merge job: *\([0-9]*\).*/\1/p' <<<"$out")"
  [ -n "$probe_id" ] || { fail probes "no second (probe) array was submitted"; return; }
  grep -q "^merge job: *$merge_id (afterok:$probe_id)" <<<"$out" || { fail probes "the merge job does not wait for the probe array"; return; }
  s="$(wait_done "$array_id")"; [ "$s" = COMPLETED ] || { fail probes "array $array_id ended $s"; return; }
  s="$(wait_done "$probe_id")"; [ "$s" = COMPLETED ] || { fail probes "probe array $probe_id ended $s"; return; }
  s="$(wait_done "$merge_id")"; [ "$s" = COMPLETED ] || { fail probes "merge job $merge_id ended $s"; return; }
  while IFS= read -r f; do
    rel="${f#"$T/single-probes/"}"
    cmp -s "$f" "$d/$rel" || { fail probes "$rel differs"; return; }
  done < <({ find "$T/single-probes" -type f \( -name '*.json' -o -name '*.jsonl' -o -name '*.csv' \); find "$T/single-probes" -maxdepth 1 -name '*.png'; } | sort)
  ls "$d"/*heatmap*.png >/dev/null 2>&1 || { fail probes "no heatmap"; return; }
  pass probes
}

case_noslurm() {
  local out rc
  case_dir=""
  mkdir -p "$T/nosl/bin"
  ln -sf "$(readlink -f "$(command -v dotnet)")" "$T/nosl/bin/dotnet"   # a PATH with dotnet and nothing else
  out="$(PATH="$T/nosl/bin" "${cli[@]}" slurm submit "${flags[@]}" --output_dir "$T/noslurm" --shards 2 2>&1)"; rc=$?
  if [ "$rc" -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q "Slurm was not found" <<<"$out" && grep -q "shard run" <<<"$out"; then
    pass noslurm
  else
    fail noslurm "exit $rc: $out"
  fi
}

# CLUSTER_CASES (e.g. "probes" or "submit noslurm") runs a subset; default: every case.
for c in ${CLUSTER_CASES:-submit scancel kill9 probes noslurm}; do
  case "$c" in
    submit) case_submit ;;
    scancel|kill9) case_interrupt "$c" ;;
    probes) case_probes ;;
    noslurm) case_noslurm ;;
    *) fail "$c" "unknown case" ;;
  esac
done
finish
