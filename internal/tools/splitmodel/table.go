package main

// poolsimFiles places every file of model/. A file added to model/ after
// this table was written stops the tool until it is placed here.
var poolsimFiles = map[string]string{
	// The scenario contract.
	"assumptions.go":            "scenario/assumptions.go",
	"bandwidth.go":              "scenario/bandwidth.go",
	"mechanisms_assumptions.go": "scenario/mechanisms_assumptions.go",
	"phpfpmkeys.go":             "scenario/phpfpmkeys.go",
	"decode.go":                 "scenario/decode.go",
	"decodefield.go":            "scenario/decodefield.go",
	"defaults.go":               "scenario/defaults.go",
	"dist.go":                   "scenario/dist.go",
	"distdecode.go":             "scenario/distdecode.go",
	"distkinds.go":              "scenario/distkinds.go",
	"marshal.go":                "scenario/marshal.go",
	"override.go":               "scenario/override.go",
	"presets.go":                "scenario/presets.go",
	"scenario.go":               "scenario/scenario.go",
	"units.go":                  "scenario/units.go",
	"validate.go":               "scenario/validate.go",
	"validate_mechanisms.go":    "scenario/validate_mechanisms.go",
	"decode_test.go":            "scenario/decode_test.go",
	"input_test.go":             "scenario/input_test.go",
	"keys_doc_test.go":          "scenario/keys_doc_test.go",
	"override_test.go":          "scenario/override_test.go",
	"units_test.go":             "scenario/units_test.go",

	// The HTTPERR log.
	"httperr.go":      "httperr/httperr.go",
	"httperr_test.go": "httperr/httperr_test.go",

	// The queueing formulas.
	"theory.go":              "queueing/theory.go",
	"theory_test.go":         "model/theory_test.go",
	"theory_example_test.go": "queueing/theory_example_test.go",

	// The simulation; pool.go and supervise.go become queue.go,
	// supervision.go and lock.go (see poolsimDecls).
	"access.go":        "model/access.go",
	"allocation.go":    "model/allocation.go",
	"availability.go":  "model/availability.go",
	"backend.go":       "model/backend.go",
	"budget.go":        "model/budget.go",
	"client.go":        "model/client.go",
	"doc.go":           "model/doc.go",
	"drain.go":         "model/drain.go",
	"events.go":        "model/events.go",
	"exectimeout.go":   "model/exectimeout.go",
	"hist.go":          "model/hist.go",
	"keyed.go":         "model/keyed.go",
	"lifecycle.go":     "model/lifecycle.go",
	"metrics.go":       "model/metrics.go",
	"mser.go":          "model/mser.go",
	"observed.go":      "model/observed.go",
	"pool.go":          "model/queue.go",
	"recorder.go":      "model/recorder.go",
	"reload.go":        "model/reload.go",
	"request.go":       "model/request.go",
	"result.go":        "model/result.go",
	"run.go":           "model/run.go",
	"spawn.go":         "model/spawn.go",
	"supervise.go":     "model/supervision.go",
	"supervisorlog.go": "model/supervisorlog.go",
	"synretry.go":      "model/synretry.go",
	"threadpool.go":    "model/threadpool.go",
	"timeseries.go":    "model/timeseries.go",
	"trace.go":         "model/trace.go",
	"vocabulary.go":    "model/vocabulary.go",
	"transfer.go":      "model/transfer.go",
	"worker.go":        "model/worker.go",
	"world.go":         "model/world.go",

	"allocation_test.go":         "model/allocation_test.go",
	"baseline_test.go":           "model/baseline_test.go",
	"bench_test.go":              "model/bench_test.go",
	"budget_test.go":             "model/budget_test.go",
	"drain_test.go":              "model/drain_test.go",
	"events_test.go":             "model/events_test.go",
	"exectimeout_test.go":        "model/exectimeout_test.go",
	"failures_test.go":           "model/failures_test.go",
	"lifecycle_test.go":          "model/lifecycle_test.go",
	"mechanisms_helpers_test.go": "model/mechanisms_helpers_test.go",
	"mser_test.go":               "model/mser_test.go",
	"presets_test.go":            "model/presets_test.go",
	"observed_test.go":           "model/observed_test.go",
	"overlap_test.go":            "model/overlap_test.go",
	"queueing_test.go":           "model/queueing_test.go",
	"reload_test.go":             "model/reload_test.go",
	"rules_test.go":              "model/rules_test.go",
	"smoke_test.go":              "model/smoke_test.go",
	"spawn_test.go":              "model/spawn_test.go",
	"stories_test.go":            "model/stories_test.go",
	"supervisorlog_test.go":      "model/supervisorlog_test.go",
	"synretry_test.go":           "model/synretry_test.go",
	"threadpool_test.go":         "model/threadpool_test.go",
	"trace_test.go":              "model/trace_test.go",
	"transfer_test.go":           "model/transfer_test.go",
	"vocabulary_test.go":         "model/vocabulary_test.go",
	"warmup_test.go":             "model/warmup_test.go",
}

// poolsimDecls moves single declarations out of their file's destination.
var poolsimDecls = map[string]string{
	// Scenario types declared beside their mechanism.
	"events.go:Event":                              "scenario/events.go",
	"observed.go:Observed":                         "scenario/observed.go",
	"observed.go:WorkloadMarker":                   "scenario/observed.go",
	"spawn.go:Spawn":                               "scenario/spawn.go",
	"threadpool.go:ThreadPool":                     "scenario/threadpool.go",
	"trace.go:TracePath":                           "scenario/trace.go",
	"observed.go:scenarioDecoder.validateObserved": "scenario/observed.go",
	"trace.go:scenarioDecoder.validateTrace":       "scenario/trace.go",

	// Which HTTPERR reasons a pool logs is the simulation's choice.
	"httperr.go:HTTPErrReasons": "model/request.go",

	// The hash behind the keyed streams, used by the HTTPERR log too.
	"httperr.go:mix64": "engine/mix.go",

	// Tests of the formulas alone.
	"theory_test.go:TestTheoryErlangB": "queueing/theory_test.go",
	"theory_test.go:TestTheoryErlangC": "queueing/theory_test.go",
	"theory_test.go:TestTheoryMM1K":    "queueing/theory_test.go",

	// The world's queue, supervision and lock.
	"pool.go:world.failure":        "model/supervision.go",
	"pool.go:world.stopPool":       "model/supervision.go",
	"pool.go:world.halt":           "model/supervision.go",
	"pool.go:world.restartPool":    "model/supervision.go",
	"budget.go:checkEvery":         "model/limits.go",
	"budget.go:LimitError":         "model/limits.go",
	"budget.go:ErrStopped":         "model/limits.go",
	"budget.go:limits":             "model/limits.go",
	"budget.go:newLimits":          "model/limits.go",
	"budget.go:world.simulate":     "model/limits.go",
	"budget.go:world.withinLimits": "model/limits.go",
	"budget.go:world.streamRow":    "model/limits.go",
	"budget.go:WorkerCounts":       "model/result.go",
	"budget.go:lifeCounts":         "model/result.go",
	"pool.go:world.releaseLock":    "model/lock.go",
	"pool.go:world.dropLockWaiter": "model/lock.go",
}

// poolsimCopies are small test helpers both sides' tests use.
var poolsimCopies = map[string]string{
	"override_test.go:set": "model/rules_test.go",
}
