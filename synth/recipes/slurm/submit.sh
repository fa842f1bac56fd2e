#!/usr/bin/env bash
# Submit a sharded minimac sweep to Slurm: a job array of N shards, then the merge, which starts
# once every shard succeeded. Documented in synth/README.md ("Running the sweep on many machines").
#
#   synth/recipes/slurm/submit.sh [N]        # N shards (default MINIMAC_SHARDS, else 8)
#   MINIMAC_SHARED=/scratch/$USER/minimac SWEEP_ARGS='--bits 3-6' synth/recipes/slurm/submit.sh 16
#
# Every setting (see lib.sh and sweep-shard.sbatch) is settled here, made absolute and exported,
# and sbatch --export=ALL hands the same ones to every job. Logs go to $MINIMAC_SHARED/logs/.
# Prints the two job ids. More sbatch options (partition, account) go in SBATCH_* variables
# (SBATCH_PARTITION, SBATCH_ACCOUNT), which sbatch reads itself.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export MINIMAC_REPO=${MINIMAC_REPO:-$here/../../..}
# A dated run name, settled once here: the array and the merge must agree on it, even when the
# merge starts after midnight.
export MINIMAC_RUN=${MINIMAC_RUN:-sweep-$(date +%Y-%m-%d)}
# shellcheck source=lib.sh
source "$here/lib.sh"
mm_settings
export MINIMAC_SHARDS=${1:-${MINIMAC_SHARDS:-8}}
mm_count MINIMAC_SHARDS "$MINIMAC_SHARDS"
export SWEEP_ARGS=${SWEEP_ARGS:-}
logs=$MINIMAC_SHARED/logs
mkdir -p "$logs" "$MINIMAC_CACHE" "$MINIMAC_REPORTS"

# --parsable prints "jobid" or "jobid;cluster"; the dependency wants the id.
jid=$(sbatch --parsable --export=ALL --array="1-$MINIMAC_SHARDS" --output="$logs/%x-%A_%a.log" "$here/sweep-shard.sbatch")
jid=${jid%%;*}
mid=$(sbatch --parsable --export=ALL --dependency="afterok:$jid" --output="$logs/%x-%j.log" "$here/merge.sbatch")
mid=${mid%%;*}
echo "submitted: shards $jid (array 1-$MINIMAC_SHARDS), merge $mid (after all shards) → $MINIMAC_REPORTS/$MINIMAC_RUN"
