#!/usr/bin/env bash
# check.sh executes poolsim's studies (notebooks/*.ipynb) headless and fails
# on any cell error.
#
# Usage:
#
#	notebooks/check.sh [--update] [NOTEBOOK.ipynb...]
#
# With no notebook named, every notebooks/*.ipynb runs, one after the other.
# Without --update the executed copies go to a temporary directory and the
# committed notebooks are left alone; with --update the committed notebooks
# are replaced by their executed copies (outputs and charts refreshed) and the
# README's gallery, docs/gallery/*.png, is redrawn from the cells tagged
# "gallery:NAME".
#
# It needs only Go and, the first time, root (or password-less sudo) on a
# Debian or Ubuntu machine. It installs what is missing, and nothing else:
#
#   - Jupyter's headless runner from Debian (jupyter-nbconvert,
#     python3-nbclient, jupyter-client, jupyter-core, python3-ipykernel),
#     when `jupyter nbconvert --version` fails;
#   - the GoNB kernel, goimports and nbtool (which checks the executed
#     notebooks), built from the tools module notebooks/tools (versions pinned
#     in its own go.mod) into notebooks/tools/bin, when missing or built from
#     another version of that module;
#   - the kernel's registration (gonb --install), when missing or pointing
#     elsewhere, in a Jupyter data directory of its own, notebooks/tools/jupyter,
#     so that the user's own kernels are neither used nor changed. To open the
#     studies by hand with this kernel:
#         JUPYTER_DATA_DIR=notebooks/tools/jupyter jupyter notebook notebooks/
#
# Running it twice does the work once. The kernel compiles each cell with the
# go command, so the first run on a machine with an empty build cache takes a
# minute or two longer than the next.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
tools="$here/tools"
bin="$tools/bin"

update=false
notebooks=()
for arg in "$@"; do
	case "$arg" in
	--update) update=true ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "check.sh: unknown flag $arg (usage: notebooks/check.sh [--update] [NOTEBOOK.ipynb...])" >&2
		exit 2
		;;
	*) notebooks+=("$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")") ;;
	esac
done
named=true
if [ ${#notebooks[@]} -eq 0 ]; then
	named=false
	shopt -s nullglob
	notebooks=("$here"/*.ipynb)
	shopt -u nullglob
fi
if [ ${#notebooks[@]} -eq 0 ]; then
	echo "check.sh: no notebooks in $here" >&2
	exit 1
fi

command -v go >/dev/null || {
	echo "check.sh: the go command is not on PATH" >&2
	exit 1
}

# --- Jupyter --------------------------------------------------------------

# Debian's jupyter runs on /usr/bin/python3; a python3 earlier on PATH (pyenv,
# a virtualenv) may shadow its scripts, so fall back to /usr/bin/jupyter.
find_jupyter() {
	local j
	for j in jupyter /usr/bin/jupyter; do
		if command -v "$j" >/dev/null 2>&1 && "$j" nbconvert --version >/dev/null 2>&1; then
			command -v "$j"
			return 0
		fi
	done
	return 1
}

jupyter_packages=(jupyter-nbconvert python3-nbclient jupyter-client jupyter-core python3-ipykernel)
if ! jupyter="$(find_jupyter)"; then
	echo "== installing Jupyter's headless runner: ${jupyter_packages[*]}"
	if ! command -v apt-get >/dev/null; then
		echo "check.sh: jupyter nbconvert is missing and this is not a Debian-like system;" >&2
		echo "install jupyter nbconvert, nbclient and ipykernel, then run again" >&2
		exit 1
	fi
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		else
			echo "check.sh: jupyter nbconvert is missing; as root, run:" >&2
			echo "  apt-get install --no-install-recommends ${jupyter_packages[*]}" >&2
			exit 1
		fi
	fi
	export DEBIAN_FRONTEND=noninteractive
	aptlog="$(mktemp)"
	if ! { "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q --no-install-recommends "${jupyter_packages[@]}"; } >"$aptlog" 2>&1; then
		tail -n 30 "$aptlog" >&2
		rm -f "$aptlog"
		echo "check.sh: apt-get failed" >&2
		exit 1
	fi
	rm -f "$aptlog"
	jupyter="$(find_jupyter)" || {
		echo "check.sh: jupyter nbconvert still fails after installing ${jupyter_packages[*]}" >&2
		exit 1
	}
fi

# --- GoNB, goimports and nbtool (checks executed notebooks) ----------------

# They are rebuilt when the tools module changes.
stamp="$(cat "$tools/go.mod" "$tools/go.sum" "$tools"/nbtool/*.go | sha256sum | cut -d' ' -f1)"
if [ ! -x "$bin/gonb" ] || [ ! -x "$bin/goimports" ] || [ ! -x "$bin/nbtool" ] ||
	[ "$(cat "$bin/.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "== building GoNB, goimports and nbtool into ${bin#"$root"/}"
	(cd "$tools" && go build -o "$bin/" github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports ./nbtool)
	echo "$stamp" >"$bin/.stamp"
fi

# The kernel finds go and goimports on its PATH.
PATH="$bin:$(go env GOROOT)/bin:$PATH"
export PATH

# --- the kernel's registration --------------------------------------------

# gonb --install writes the kernel's spec, kernel.json, into Jupyter's data
# directory, pointing at the binary that ran it. The spec is then given the
# PATH on which the kernel finds go and goimports, so that Jupyter started by
# hand with the same data directory runs the notebooks too (jupyter_client
# expands ${PATH} when it starts the kernel). The data directory is the
# check's own: a kernel registered globally by the user is not touched.
datadir="$tools/jupyter"
mkdir -p "$datadir/kernels/gonb"
export JUPYTER_DATA_DIR="$datadir"
kernel="$datadir/kernels/gonb/kernel.json"
kpath="$bin:$(go env GOROOT)/bin"
spec="{\"argv\": [\"$bin/gonb\", \"--kernel\", \"{connection_file}\", \"-logtostderr\", \"-raw_error\"], \"display_name\": \"Go (gonb)\", \"language\": \"go\", \"interrupt_mode\": \"message\", \"env\": {\"PATH\": \"$kpath:\${PATH}\"}}"
if [ "$(cat "$kernel" 2>/dev/null)" != "$spec" ]; then
	echo "== registering the GoNB kernel in $kernel"
	# --force_deps: gopls only autocompletes; cells run without it. Run as
	# ./gonb: called by a path under /tmp, gonb --install would copy itself
	# into the kernel's directory.
	if ! (cd "$bin" && ./gonb --install --force_deps --logtostderr 2>"$bin/install.log"); then
		cat "$bin/install.log" >&2
		echo "check.sh: gonb --install failed" >&2
		exit 1
	fi
	echo "$spec" >"$kernel"
fi

# --- the notebooks ------------------------------------------------------

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Paths that must not appear in a committed notebook.
forbid=(-forbid "$root/")
case "${HOME:-/}" in
/) ;;
*) forbid+=(-forbid "${HOME%/}/") ;;
esac

failed=0
for nb in "${notebooks[@]}"; do
	name="${nb#"$root"/}"
	base="$(basename "$nb")"
	start=$SECONDS
	# --allow-errors: run every cell, so that nbtool reports each failing one
	# with its outputs (nbconvert itself stops at the first).
	if ! (cd "$(dirname "$nb")" && "$jupyter" nbconvert --to notebook --execute --allow-errors \
		--ExecutePreprocessor.timeout=600 \
		--ExecutePreprocessor.kernel_name=gonb \
		--ExecutePreprocessor.record_timing=False \
		--output-dir "$work" --output "$base" "$nb") >"$work/log" 2>&1; then
		echo "FAIL $name ($((SECONDS - start))s): jupyter nbconvert failed:" >&2
		if grep -q 'Error:' "$work/log"; then
			sed -n '/^[A-Za-z.]*Error:/,$p' "$work/log" | grep -v '^[IWE][0-9]\{4\} ' >&2
		else
			tail -n 40 "$work/log" >&2
		fi
		failed=1
		continue
	fi
	if ! "$bin/nbtool" check "${forbid[@]}" "$work/$base" >&2; then
		kept="$(mktemp -d)"
		cp "$work/$base" "$kept/"
		echo "FAIL $name ($((SECONDS - start))s); the executed notebook is $kept/$base" >&2
		failed=1
		continue
	fi
	echo "ok   $name ($((SECONDS - start))s)"
	if $update; then
		cp "$work/$base" "$nb"
	fi
done
if [ "$failed" -ne 0 ]; then
	exit 1
fi

if $update; then
	prune=()
	if [ "$named" = false ]; then
		prune=(-prune) # every notebook ran: drop the charts no cell draws any more
	fi
	echo "== drawing the gallery: docs/gallery"
	"$bin/nbtool" gallery "${prune[@]}" -o "$root/docs/gallery" "${notebooks[@]}"
fi
