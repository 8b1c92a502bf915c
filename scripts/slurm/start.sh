#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (munged, slurmctld, slurmd; Debian 12's
# slurm-wlm 22.05), as root, without systemd, for the cluster tests. Idempotent.
#
#   RNNLAB_SLURM_CPUS            CPUs the node advertises (default 8, more than the machine has,
#                                so that a concurrency cap below it is what limits an array)
#   RNNLAB_SLURM_MAX_ARRAY_SIZE  the cluster's MaxArraySize (default 1001)
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "scripts/slurm/start.sh must run as root" >&2; exit 1; }
cpus=${RNNLAB_SLURM_CPUS:-8}
max_array=${RNNLAB_SLURM_MAX_ARRAY_SIZE:-1001}

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null; }
fi

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
host=$(hostname -s)
logs=/var/log/slurm

# munge: a key, its runtime folder (systemd would make it), the daemon as the munge user.
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
fi
chown munge:munge /etc/munge /etc/munge/munge.key
chmod 700 /etc/munge
chmod 400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  rm -f /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || { echo "munged did not start" >&2; exit 1; }
fi

if ! (alive /run/slurmctld.pid && alive /run/slurmd.pid); then
  # The node's sockets and threads as slurmd sees them, with the advertised CPU count; memory
  # below what slurmd detects (a node advertising more is drained).
  mem=$(( $(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p') * 80 / 100 ))
  mkdir -p /etc/slurm
  cat > /etc/slurm/slurm.conf <<CONF
ClusterName=rnnlab
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1,bf_interval=1
SlurmdParameters=config_overrides
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=${logs}/slurmctld.log
SlurmdLogFile=${logs}/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
MaxArraySize=${max_array}
MinJobAge=600
KillWait=5
InactiveLimit=0
Waittime=0
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF
  # slurmd 22.05 always loads a cgroup plugin; v1's initialisation is lazy and nothing here uses it.
  echo "CgroupPlugin=cgroup/v1" > /etc/slurm/cgroup.conf
  chmod 644 /etc/slurm/slurm.conf /etc/slurm/cgroup.conf
fi
install -d -o slurm -g slurm -m 0755 /var/spool/slurmctld "$logs"
install -d -m 0755 /var/spool/slurmd

if ! alive /run/slurmctld.pid; then
  rm -f /run/slurmctld.pid
  slurmctld -c || { tail -20 "$logs/slurmctld.log" >&2; exit 1; }
fi
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.1; done
scontrol ping | grep -q UP || { echo "slurmctld does not answer" >&2; tail -20 "$logs/slurmctld.log" >&2; exit 1; }
if ! alive /run/slurmd.pid; then
  rm -f /run/slurmd.pid
  slurmd || { tail -20 "$logs/slurmd.log" >&2; exit 1; }
fi

state=
for i in $(seq 150); do
  state=$(sinfo -h -N -n "$host" -o %t 2>/dev/null | head -1)
  case "$state" in
    idle|mix|alloc|comp) break ;;
    *) [ "$i" -gt 20 ] && scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 0.2
done
case "$state" in
  idle|mix|alloc|comp) ;;
  *) echo "node $host is not ready ($state)" >&2; scontrol show node "$host" >&2 || true; tail -20 "$logs/slurmd.log" >&2; exit 1 ;;
esac
echo "slurm: node $host $state, $cpus CPUs, MaxArraySize $(scontrol show config | sed -n 's/^MaxArraySize *= *//p')"
