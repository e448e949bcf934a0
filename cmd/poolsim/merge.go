package main

import (
	"fmt"
	"os"

	"github.com/poolsim/poolsim/experiments"
)

const mergeUsage = `poolsim merge -o DIR SHARD_DIR... [flags]

Merges the shards of a sweep ("poolsim sweep FILE --shards N --shard-index I
-o SHARD_DIR", one per shard) into DIR: the same results.csv, summary.csv,
compare.csv and charts, byte for byte, as one sweep of the whole experiment
would have written, with experiment.toml, scenario.toml and a journal of
every run.

The experiment is read from the first shard's directory (its experiment.toml
and scenario.toml, as run): the original files need not be at hand. Every
shard must be of the same experiment file, scenario and poolsim version, and
together the shards must hold every run; merge checks both before it writes
anything. Like sweep, it refuses to replace an earlier sweep in DIR without
--force.

Example:

	poolsim merge -o out/recycle out/recycle/shard-*`

// runMerge implements "poolsim merge".
func runMerge(c *cli, args []string) int {
	f := newFlagSet("merge", mergeUsage)
	var (
		dir   = f.String("o", "", "write the merged sweep into `DIR` (required)")
		force = f.Bool("force", false, "replace the results of an earlier sweep in DIR")
	)
	pos, status, stop := f.parse(c, args)
	if stop {
		return status
	}
	if *dir == "" {
		return f.usageError(c, "-o DIR is required: the directory to write the merged sweep into")
	}
	if len(pos) == 0 {
		return f.usageError(c, "no shard directories to merge")
	}
	out := *dir
	for _, d := range pos {
		if sameDir(d, out) {
			return c.errorf("-o %s is a shard directory given to merge: merge into another directory", out)
		}
	}
	e, err := experiments.CheckShards(pos)
	if err != nil {
		return c.errorf("cannot merge: %v", err)
	}
	lock, err := experiments.ClaimOutputDir(out)
	if err != nil {
		return c.errorf("%v", err)
	}
	defer lock.Unlock()
	target := out
	if old := experiments.EarlierSweep(out); old != "" {
		if !*force {
			return c.errorf("%s holds an earlier sweep (%s): --force replaces it", out, old)
		}
		// The merged sweep replaces the earlier one once complete.
		if target, err = os.MkdirTemp(out, ".poolsim-new-"); err != nil {
			return c.errorf("%v", err)
		}
		defer os.RemoveAll(target)
	}
	res, err := experiments.Merge(e, target, pos...)
	if err != nil {
		return c.errorf("cannot merge: %v", err)
	}
	if target != out {
		if err := experiments.ReplaceSweep(target, out); err != nil {
			return c.errorf("cannot replace the earlier sweep in %s: %v", out, err)
		}
	}
	fmt.Fprintf(c.stdout, "merged %d shard directories: %d runs\n\n", len(pos), len(e.Points())*e.Replications)
	return c.finishSweep(res, out)
}

// sameDir reports whether a and b name the same existing directory.
func sameDir(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}
