#!/usr/bin/env bash
# Our bench and the reference PyTorch code on the same work, alternately, twice, in one run on one
# machine; prints every figure and the ratios (ours / reference: below 1.0 is faster than the reference).
#
#   model/scripts/bench-vs-reference.sh /path/to/improved-diffusion [rounds] [rows]
#
# rows: all (default), train (the two preset A rows), sampling, or pinned: the one-thread row once per
# CPU, both programs pinned to it with taskset. On a shared machine one virtual CPU can be slower than
# the other for a while (its hyperthread sibling busy), and an unpinned one-thread process keeps the
# CPU it started on, so unpinned one-thread rows compare two coin tosses; pinned rows compare like
# with like (the JVM's compiler and collector threads share that CPU then: a few % against us).
#
# Needs: model/target/diffusion-cli.jar (./mvnw -pl model -am package -DskipTests), Debian's
# python3-torch and python3-numpy (apt-get install python3-torch python3-numpy libopenblas0-openmp),
# and a checkout of github.com/openai/improved-diffusion. Only ratios measured together count: the
# machine may be shared, so each pair runs back to back and the order alternates.
# Rows: preset A training step with the shipped default threads (ours) against the reference on every
# core; the same with one thread each; DDIM sampling (16 digits, 50 steps) on every core.
set -euo pipefail
cd "$(dirname "$0")/../.."
REF=${1:-${IMPROVED_DIFFUSION:-}}
ROUNDS=${2:-2}
ROWS=${3:-all}
case "$ROWS" in all|train|sampling|pinned) ;; *) echo "rows must be all, train, sampling or pinned, got '$ROWS'" >&2; exit 2;; esac
[ -n "$REF" ] && [ -d "$REF/improved_diffusion" ] || { echo "usage: $0 /path/to/improved-diffusion [rounds] [all|train|sampling|pinned]" >&2; exit 2; }
JAR=model/target/diffusion-cli.jar
[ -f "$JAR" ] || { echo "no $JAR: build it with ./mvnw -pl model -am package -DskipTests" >&2; exit 2; }
PY=/usr/bin/python3
$PY -c 'import torch' 2>/dev/null || { echo "no torch for $PY: apt-get install python3-torch python3-numpy" >&2; exit 2; }
CORES=$(nproc)
OUT=$(mktemp -d)
echo "bench-vs-reference: $(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $CORES cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ours: $(git rev-parse --short HEAD 2>/dev/null || echo '?'), reference: $(git -C "$REF" rev-parse --short HEAD 2>/dev/null || echo "$REF")"

PIN=() # taskset -c N, for the pinned rows
ours() { "${PIN[@]}" java ${THREADS:+-Ddiffusion.threads=$THREADS} -jar "$JAR" bench "$@"; }
theirs() { OMP_WAIT_POLICY=PASSIVE "${PIN[@]}" "$PY" model/scripts/bench_reference.py --ref "$REF" "$@"; }

# field NAME FILE: the value of NAME=... in the last line of FILE
field() { tail -n 1 "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

pair() { # label, ours-threads ("" = shipped default), reference threads, field, then: ours args -- reference args
    local label=$1 ot=$2 rt=$3 f=$4; shift 4
    local oargs=() rargs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do oargs+=("$1"); shift; done; shift
    rargs=("$@")
    for r in $(seq 1 "$ROUNDS"); do
        local o="$OUT/$label.ours.$r" t="$OUT/$label.ref.$r"
        if [ $((r % 2)) = 1 ]; then
            THREADS=$ot ours "${oargs[@]}" > "$o" 2>&1; theirs --threads "$rt" "${rargs[@]}" > "$t" 2>&1
        else
            theirs --threads "$rt" "${rargs[@]}" > "$t" 2>&1; THREADS=$ot ours "${oargs[@]}" > "$o" 2>&1
        fi
        local a b; a=$(field "$f" "$o"); b=$(field "$f" "$t")
        if [ -z "$a" ] || [ -z "$b" ]; then echo "$label round $r: a run failed, see $o and $t" >&2; tail -3 "$o" "$t" >&2; exit 1; fi
        printf '%-34s round %d: ours %7s ms  reference %7s ms  ratio %s\n' "$label ($f)" "$r" "$a" "$b" \
            "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
        if [ "$f" = train_step_ms ]; then
            a=$(field forward_ms "$o"); b=$(field forward_ms "$t")
            printf '%-34s round %d: ours %7s ms  reference %7s ms  ratio %s\n' "$label (forward_ms)" "$r" "$a" "$b" \
                "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
        fi
    done
}

if [ "$ROWS" = pinned ]; then
    command -v taskset >/dev/null || { echo "pinned rows need taskset (util-linux)" >&2; exit 2; }
    for cpu in $(seq 0 $((CORES - 1))); do
        PIN=(taskset -c "$cpu")
        pair "preset A, 1 thread, cpu $cpu" 1 1 train_step_ms --preset A --iters 5 -- --preset A --iters 5
    done
    PIN=()
elif [ "$ROWS" != sampling ]; then
    pair "preset A, default threads" "" "$CORES" train_step_ms --preset A --iters 5 -- --preset A --iters 5
    pair "preset A, 1 thread" 1 1 train_step_ms --preset A --iters 5 -- --preset A --iters 5
fi
if [ "$ROWS" = all ] || [ "$ROWS" = sampling ]; then
    pair "sampling digits n16 s50" "" "$CORES" sample_ms --sampling --n 16 --steps 50 -- --sampling --n 16 --steps 50
fi
echo "raw outputs: $OUT"
