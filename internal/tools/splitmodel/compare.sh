#!/bin/sh
# compare.sh BEFORE AFTER: runs two poolsim binaries (built before and after
# the split) on every shipped scenario, with every output file, and on
# every bad scenario of the catalogue, plus every command's help, and
# reports any difference. Run from the module root of the split checkout.
set -eu
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
before=$(abs "$1") after=$(abs "$2")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bad=model/scenario/testdata/scenarios/bad
[ -d "$bad" ] || bad=model/testdata/scenarios/bad
for v in before after; do
	eval b=\$$v
	o=$out/$v
	mkdir -p "$o"
	for c in run sweep merge plot report validate import fit list version; do
		"$b" "$c" -h >"$o/help-$c.txt" 2>&1 || true
	done
	"$b" list >"$o/list.txt" 2>&1 || true
	for f in experiments/catalog/scenarios/*.toml; do
		n=$(basename "$f" .toml)
		"$b" run "$n" -httperr "$o/$n.httperr" -accesslog "$o/$n.access" -timeseries "$o/$n.ts.csv" \
			-trace "$o/$n.trace" >"$o/$n.out" 2>&1 || echo "exit $?" >>"$o/$n.out"
		"$b" run "$n" -json >"$o/$n.json" 2>&1 || true
	done
	for f in "$bad"/*.toml; do
		# the same path for both, whichever directory holds the catalogue
		(cd "$(dirname "$f")" && "$b" validate "$(basename "$f")") >"$o/bad-$(basename "$f").txt" 2>&1 || true
	done
done
diff -r "$out/before" "$out/after" && echo "identical: $(ls "$out/before" | wc -l) outputs"
