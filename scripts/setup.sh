#!/usr/bin/env bash
# Installs what the tests need with apt when it is missing: the simulators (Verilator, Icarus),
# ccache for Verilator's C++ builds, Chromium for the report test, and tclsh for the Tcl tests.
# Idempotent; needs root or sudo on Debian/Ubuntu.
#
# Each tool's version is read into a variable and only its first line printed. A pipe into
# `head -n 1` under `set -o pipefail` fails whenever the tool writes more than head reads: head
# closes the pipe, the tool dies of SIGPIPE, and the pipeline exits 141 (issue 9).
set -euo pipefail

# command on PATH -> Debian package that provides it
tools=(verilator iverilog ccache chromium tclsh)
declare -A package=([verilator]=verilator [iverilog]=iverilog [ccache]=ccache [chromium]=chromium [tclsh]=tcl)

need=()
for t in "${tools[@]}"; do
  command -v "$t" >/dev/null 2>&1 || need+=("${package[$t]}")
done

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing ${need[*]} with apt"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The first line `tool args…` prints on stdout (stderr when stdout is empty), without a pipe.
# Stdout first: Debian's chromium wrapper writes shell warnings to stderr before its version.
first_line() {
  local out
  out=$("$@" 2>/dev/null || true)
  [ -n "$out" ] || out=$("$@" 2>&1 || true)
  printf '%s\n' "${out%%$'\n'*}"
}

missing=()
for t in "${tools[@]}"; do
  if ! command -v "$t" >/dev/null 2>&1; then
    missing+=("$t")
    continue
  fi
  case "$t" in
    iverilog) v=$(first_line iverilog -V) ;;
    tclsh) v="tclsh $(first_line tclsh <<<'puts [info patchlevel]')" ;;
    *) v=$(first_line "$t" --version) ;;
  esac
  printf 'setup: %-9s %s\n' "$t" "${v%%$'\n'*}"
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: still missing after apt: ${missing[*]}" >&2
  exit 1
fi
echo "setup: ok"
