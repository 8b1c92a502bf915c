#!/usr/bin/env bash
# Stops the cluster of scripts/slurm/start.sh: cancels every job, then stops slurmd, slurmctld
# and munged by their pid files. Never fails (it runs at the end of CI whatever happened).
set -uo pipefail

if command -v squeue >/dev/null && [ -s /run/slurmctld.pid ] && kill -0 "$(cat /run/slurmctld.pid)" 2>/dev/null; then
  ids=$(squeue -h -o %A 2>/dev/null | sort -u)
  [ -n "$ids" ] && scancel $ids 2>/dev/null
  for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
fi

stop() {
  local pid
  [ -s "$2" ] || return 0
  pid=$(cat "$2")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "slurm: $1 stopped"
  fi
  rm -f "$2"
}
stop slurmd /run/slurmd.pid
stop slurmctld /run/slurmctld.pid
stop munged /run/munge/munged.pid
exit 0
