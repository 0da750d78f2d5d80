#!/usr/bin/env bash
# make slurm: a real single-node SLURM cluster runs the example sweep as an array job (issue 17).
#
# As root on Debian (12): installs munge, slurmctld, slurmd and slurm-client with apt-get where
# missing, then starts, in a private temporary folder, a munged on its own socket and key, and a
# slurmctld and a slurmd from a minimal slurm.conf for this host alone (no cgroups, no accounting,
# free ports), so that nothing of the machine's own SLURM or munge is used or changed. It then
#   1. runs the sweep unsharded (the reference);
#   2. submits configs/slurm/sweep.sbatch as an array of SHARDS tasks with --batch 1, and requeues
#      one task (scontrol requeue) once it has saved a point: the task is stopped with SIGTERM,
#      exits 143 with that point saved, and run again by SLURM resumes (its log says "1 done before");
#   3. merges the shards with snn-gpu merge, and checks that every output file equals the
#      reference's byte for byte, and that merging again changes nothing.
# Everything it started is stopped at exit, and the folder removed (KEEP=1 keeps it, and prints it).
#
# CONFIG (default configs/brunel_states.toml), SHARDS (default 2) and SETS (extra --set flags, e.g.
# SETS="--set order=500 --set t_sim=400" for a quick run; default none: the example as shipped).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
export PATH="/usr/local/go/bin:/usr/sbin:/sbin:$PATH"
config="$(realpath "${CONFIG:-configs/brunel_states.toml}")"
shards="${SHARDS:-2}"
read -r -a sets <<< "${SETS:-}"

say() { echo "slurmcheck: $*"; }
die() { echo "slurmcheck: FAIL: $*" >&2; exit 1; }

need=()
command -v munged > /dev/null || need+=(munge)
command -v slurmctld > /dev/null || need+=(slurmctld)
command -v slurmd > /dev/null || need+=(slurmd)
command -v sbatch > /dev/null || need+=(slurm-client)
if ((${#need[@]})); then
    [[ $(id -u) == 0 ]] || die "needs ${need[*]} (Debian packages) and root to install them"
    say "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > /dev/null
fi
[[ $(id -u) == 0 ]] || die "run as root: slurmd starts jobs as their users"

make build > /dev/null
bin="$PWD/bin/snn-gpu"
work="$(mktemp -d -t snn-slurm.XXXXXX)"
chmod 755 "$work" # munged refuses folders others can write; slurmd reads it as root
pids=()
cluster="" # set once SLURM_CONF is our own cluster's
cleanup() {
    rc=$?
    set +e
    if [[ -n "$cluster" ]]; then scancel --quiet --full --user=root 2> /dev/null; fi # ours alone
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2> /dev/null; done
    for p in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2> /dev/null
    done
    if ((rc != 0)); then
        for log in "$work"/*.log "$work"/*.out "$work"/out/sharded/*.out; do
            [[ -f "$log" ]] && { echo "--- $log (end)"; tail -n 25 "$log"; }
        done
    fi
    if [[ "${KEEP:-}" == 1 ]]; then echo "slurmcheck: kept $work"; else rm -rf "$work"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# munge: a key of our own, a socket of our own.
mkdir -p "$work/munge"
chmod 711 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
sock="$work/munge/munge.socket"
munged --force --foreground --socket="$sock" --key-file="$work/munge/munge.key" \
    --pid-file="$work/munge/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munge/seed" > "$work/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [[ -S "$sock" ]] && break; sleep 0.1; done
[[ -S "$sock" ]] || die "munged did not start"

# Free TCP ports for slurmctld and slurmd.
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 30000))
        (echo > "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { echo "$p"; return; }
    done
}
host="$(hostname -s)"
cpus="$(nproc)"
mem=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 8 / 10))
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF="$work/slurm.conf"
cluster=1
cat > "$SLURM_CONF" << EOF
ClusterName=snncheck
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
KillWait=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=check Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" > "$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" > "$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
    state="$(sinfo -h -n "$host" -o %T 2> /dev/null || true)"
    [[ "$state" == idle ]] && break
    sleep 0.5
done
[[ "$state" == idle ]] || die "the node is not idle after 60 s (state: ${state:-none})"
say "SLURM $(sinfo -V | awk '{print $2}') up on $host ($cpus CPUs), config $SLURM_CONF"

# 1. The reference: the sweep in one process.
say "the unsharded sweep of $config ${sets[*]}"
"$bin" sweep "$config" -q "${sets[@]}" --out "$work/out/whole" > /dev/null

# 2. The array job, one point per batch so that a task saves a point before the next.
out="$work/out/sharded"
mkdir -p "$out"
job="$(cd "$out" && SNN_GPU="$bin" sbatch --parsable --array=0-$((shards - 1)) \
    "$OLDPWD/configs/slurm/sweep.sbatch" "$config" "$out" --batch 1 "${sets[@]}")"
job="${job%%;*}"
say "submitted array job $job ($shards tasks)"
victim="$((shards - 1))"
progress="$out/shard-$victim-of-$shards/progress.json"
requeued=""
for _ in $(seq 3000); do # up to 10 minutes for the task to save its first point
    if [[ -f "$progress" ]] && grep -q '"points"' "$progress"; then
        scontrol requeue "${job}_$victim"
        requeued=1
        say "requeued task ${job}_$victim after its first point"
        # SLURM delays a requeued job's start (its begin time, minutes): start it now.
        for _ in $(seq 100); do
            [[ "$(squeue -h -j "${job}_$victim" -o %t)" == PD ]] && break
            sleep 0.2
        done
        scontrol update JobId="${job}_$victim" StartTime=now
        break
    fi
    squeue -h -j "$job" | grep -q . || break
    sleep 0.2
done
[[ -n "$requeued" ]] || die "task $victim saved no point while it ran"
for _ in $(seq 1800); do # up to 30 minutes (a requeued task may wait for its begin time)
    squeue -h -j "$job" | grep -q . || break
    sleep 1
done
squeue -h -j "$job" | grep -q . && die "the array job is still queued after 30 minutes: $(squeue -j "$job")"
for ((i = 0; i < shards; i++)); do
    log="$out/snn-sweep-${job}_$i.out"
    [[ -f "$out/shard-$i-of-$shards/run.json" ]] || die "task $i did not finish (log: $(tail -n 5 "$log" 2> /dev/null))"
done
grep -q "restart 1" "$out/snn-sweep-${job}_$victim.out" || die "task $victim was not run again after its requeue"
grep -q "1 done before" "$out/snn-sweep-${job}_$victim.out" || die "task $victim did not resume: $(cat "$out/snn-sweep-${job}_$victim.out")"
say "task $victim ran again and resumed: $(grep 'done before' "$out/snn-sweep-${job}_$victim.out" | tail -n 1)"

# 3. Merge, compare, merge again.
"$bin" merge "$out" > "$work/merge.txt"
compare() {
    local n=0 f
    while IFS= read -r f; do
        cmp -s "$work/out/whole/$f" "$out/$f" || die "$f differs between the merged shards and the unsharded sweep"
        n=$((n + 1))
    done < <(cd "$work/out/whole" && find . -type f ! -name run.json ! -name progress.json ! -name .lock | sort)
    ((n > 0)) || die "the unsharded sweep wrote no outputs"
    echo "$n"
}
n="$(compare)"
say "merged: $n output files equal the unsharded sweep's byte for byte"
"$bin" merge "$out" > /dev/null
[[ "$(compare)" == "$n" ]]
say "merged again: nothing changed"
say "PASS"
