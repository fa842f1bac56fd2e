# Shared by sweep-shard.sbatch, merge.sbatch and submit.sh (sourced, not run): where the clone,
# the cache and the reports are, and how minimac is started. Documented in synth/README.md
# ("Running the sweep on many machines").
#
#   MINIMAC_SHARED   shared folder every node sees (default: the clone's synth-reports/)
#   MINIMAC_CACHE    the synthesis cache (default $MINIMAC_SHARED/.cache, as for npm run sweep)
#   MINIMAC_REPORTS  where the report folders go (default $MINIMAC_SHARED)
#   MINIMAC_RUN      the run name: shard i of n writes $MINIMAC_RUN-shard-i-of-n, the merge
#                    $MINIMAC_RUN (default sweep)
#   MINIMAC_SHARDS   the number of shards (the array's task count by default; see sweep-shard.sbatch)
#   MINIMAC_NODE     the node binary (default node on PATH; Node 20 or later)

# Bad settings exit 2, as minimac's own bad input does.
mm_die() {
  echo "$(basename "$0"): $*" >&2
  exit 2
}

# An absolute path: the jobs may start in another folder than the one the settings were made in.
mm_abs() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

# A positive decimal integer, or die naming the variable.
mm_count() {
  [[ $2 =~ ^[1-9][0-9]*$ ]] || mm_die "$1 must be a positive integer, not '$2'"
}

# Settle and export every setting (so sbatch hands the same ones to every job).
mm_settings() {
  MINIMAC_REPO=$(cd "$MINIMAC_REPO" && pwd)
  [ -f "$MINIMAC_REPO/bin/minimac.js" ] || mm_die "MINIMAC_REPO=$MINIMAC_REPO is not a minimac clone (no bin/minimac.js)"
  MINIMAC_SHARED=$(mm_abs "${MINIMAC_SHARED:-$MINIMAC_REPO/synth-reports}")
  MINIMAC_CACHE=$(mm_abs "${MINIMAC_CACHE:-$MINIMAC_SHARED/.cache}")
  MINIMAC_REPORTS=$(mm_abs "${MINIMAC_REPORTS:-$MINIMAC_SHARED}")
  MINIMAC_RUN=${MINIMAC_RUN:-sweep}
  # minimac checks run names too, but this one also names a folder the shard script deletes.
  [[ $MINIMAC_RUN =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]*$ ]] || mm_die "MINIMAC_RUN must be letters, digits, '.', '_' or '-' (not starting with '.'), not '$MINIMAC_RUN'"
  export MINIMAC_REPO MINIMAC_SHARED MINIMAC_CACHE MINIMAC_REPORTS MINIMAC_RUN
}

# The report folder of shard i of n.
mm_shard_dir() {
  printf '%s\n' "$MINIMAC_REPORTS/$MINIMAC_RUN-shard-$1-of-$2"
}

# Run the minimac command (compiled dist/ when fresh, else the sources through tsx).
mm_minimac() {
  "${MINIMAC_NODE:-node}" "$MINIMAC_REPO/bin/minimac.js" "$@"
}
