// Command splitmodel splits package model into the scenario contract
// (model/scenario), the HTTPERR log (model/httperr), the queueing formulas
// (model/queueing) and the simulation (model), following the Plan in
// plan.go and table.go. It rewrites the module in place: it moves
// declarations, changes package clauses, exports what the simulation uses
// of the contract, qualifies every reference across the new boundary in
// every package of the module (tests and notebooks included), fixes
// imports and gofmts the result.
//
// It is deterministic and meant to be re-run on a fresh checkout whenever
// model/ changes: it refuses to run when a file of model/ is not in the
// plan or when a declaration would make the contract import the
// simulation, and it prints what it did.
//
// Usage (from the module root, on a clean checkout):
//
//	go run ./internal/tools/splitmodel [-n] [-guess] [-root DIR]
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	root := flag.String("root", ".", "the module root")
	dry := flag.Bool("n", false, "check the plan and report; change nothing")
	guessing := flag.Bool("guess", false, "place the files of model/ that the plan does not list by what they use, instead of refusing them")
	flag.Parse()
	start := time.Now()
	split := Split
	if *guessing {
		split = SplitGuessing
	}
	rep, err := split(*root, poolsimPlan(), *dry)
	if rep != nil {
		rep.print(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "splitmodel:", err)
		os.Exit(1)
	}
	fmt.Printf("splitmodel: done in %.1fs\n", time.Since(start).Seconds())
}
