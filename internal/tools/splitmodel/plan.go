package main

// Plan says where every top-level declaration of the source package goes.
// The tool refuses to run when a file of the source package is not listed
// in Files, so that a file added since the plan was written is noticed
// rather than left in the wrong package.
type Plan struct {
	// Source is the directory of the package that is split, relative to the
	// module root; its package name is its base name.
	Source string
	// Packages are the new packages, by name, in directories under Source.
	Packages []Package
	// Files maps each file of Source (base name) to its destination,
	// "pkg/file.go", where pkg is the source package's name or one of
	// Packages.
	Files map[string]string
	// Decls overrides Files for single declarations: "file.go:Key" to
	// "pkg/file.go". Key is a function, type, variable or constant name,
	// or "Type.method"; a grouped const or var block is named by any of its
	// names. A method whose receiver type goes to another package follows
	// its type (to the file of the type) unless Decls names it.
	Decls map[string]string
	// Copies puts a copy of a test declaration in another test file too,
	// for a small helper both sides' tests need ("file.go:Key" to
	// "pkg/file_test.go").
	Copies map[string]string
	// Renames gives new names to package-level identifiers that move, so
	// that they read well with their new package's name (httperr.Writer,
	// not httperr.HTTPErrWriter); every use in the module follows.
	Renames map[string]string
	// Redirects replaces a helper of the source by an equal one elsewhere
	// in the module ("name" to "dir/of/package.Name"): its declaration is
	// dropped and every use calls the other.
	Redirects map[string]string
	// Substitutes lets a test of one package call its own helper where it
	// called a test helper that goes to another package: "pkg:name" to
	// "other" (the call must fit both; the build checks it).
	Substitutes map[string]string
	// FileTexts are substitutions made in one file of the result (by its
	// path relative to the module root), for what a move changes in it.
	FileTexts map[string][][2]string
	// Names gives the exported name of an unexported identifier that must
	// be exported because it is used across the new boundary ("name" or
	// "Type.name"); without an entry the name is capitalised, with
	// Initialisms upper-cased.
	Names map[string]string
	// Aliases are the import names used in a file that already declares an
	// identifier with the package's own name.
	Aliases map[string]string
	// Moves are files or directories (relative to the module root) moved
	// as they are: testdata that follows its tests.
	Moves [][2]string
	// Texts are substitutions made in every text file of the module
	// (paths in strings, comments and documents), in order.
	Texts [][2]string
}

// Package is one of the new packages.
type Package struct {
	Name string
	// Dir is the package's directory relative to the module root; by
	// default Source/Name. Existing marks a package that exists already:
	// the split only adds files to it, which must be new.
	Dir      string
	Existing bool
	// Imports lists the packages of the split (the source package's name
	// or other Packages) this one may import.
	Imports []string
	// Doc is the package doc comment, written to doc.go (not for an
	// Existing package).
	Doc string
}

// Initialisms are upper-cased as a whole when an identifier that starts
// with one is exported.
var Initialisms = []string{"http", "php", "toml", "csv", "url", "utf", "id", "ip", "mser"}

// poolsimPlan is the split of issue 11: the scenario contract, the HTTPERR
// log and the queueing formulas leave package model, and the world's
// methods go to files named for what they do.
func poolsimPlan() *Plan {
	return &Plan{
		Source: "model",
		Packages: []Package{
			{Name: "scenario", Imports: []string{"queueing"}, Doc: scenarioDoc},
			{Name: "httperr", Doc: httperrDoc},
			{Name: "queueing", Doc: queueingDoc},
			{Name: "engine", Dir: "engine", Existing: true},
		},
		Files:  poolsimFiles,
		Decls:  poolsimDecls,
		Copies: poolsimCopies,
		Renames: map[string]string{
			"HTTPErrWriter":    "Writer",
			"NewHTTPErrWriter": "NewWriter",
			"HTTPErrLine":      "Line",
			"ParseHTTPErr":     "Parse",
			"mix64":            "Mix64",
		},
		Redirects:   map[string]string{"sortedKeys": "internal/tomlin.SortedKeys"},
		Substitutes: map[string]string{"model:decodeOK": "decodeText"},
		FileTexts: map[string][][2]string{
			// It reads the README from the package's directory.
			"model/scenario/keys_doc_test.go": {{`"../README.md"`, `"../../README.md"`}},
		},
		Names: map[string]string{
			"httpErrNamesAppPool":  "NamesAppPool",
			"httpErrNamesReqQueue": "NamesReqQueue",
		},
		Aliases: map[string]string{"scenario": "scn", "httperr": "httperrlog", "queueing": "qt"},
		Moves: [][2]string{
			{"model/testdata/scenarios", "model/scenario/testdata/scenarios"},
			{"model/testdata/httperr.golden", "model/httperr/testdata/httperr.golden"},
		},
		Texts: [][2]string{
			{"// mix64 is in httperr.go.\n\n", ""},
			{modelDocWas, modelDoc},
			{"(model's [gunicorn] table, presets.go)", "(model/scenario's [gunicorn] table, presets.go)"},
			{"[php_fpm] table, presets.go)", "[php_fpm] table, model/scenario/presets.go)"},
			{"model/testdata/scenarios", "model/scenario/testdata/scenarios"},
			{"waits and none can take it (pool.go, maybeStart)", "waits and none can take it (model/queue.go, maybeStart)"},
			{"instead of a fixed threads (threadpool.go)", "instead of a fixed threads (model/threadpool.go)"},
		},
	}
}

const scenarioDoc = `// Package scenario is poolsim's scenario contract (DESIGN.md §3): the
// scenario types, their TOML decoding with positioned errors and
// suggestions, validation, units (durations, sizes, times of day,
// bandwidths), distributions and their samplers, --set overrides, server
// presets (php-fpm, gunicorn, uWSGI), defaults, the assumptions in
// effect, and TOML writing. It knows nothing of the simulation (package
// model), which takes a *Scenario and runs it.
`

const httperrDoc = `// Package httperr writes and parses HTTP.sys error logs (HTTPERR) in
// the W3C format IIS uses: the simulation logs every request that
// http.sys turns away or abandons, and the fitting and validation tools
// read such logs back.
`

const queueingDoc = `// Package queueing holds the exact results of queueing theory (Erlang B
// and C, the M/M/c waiting time, M/M/c/K) that the simulator is checked
// against and that a capacity study draws beside a simulation.
`

// The first sentence of package model's doc comment, which no longer
// holds the contract.
const (
	modelDocWas = `// Package model is poolsim's world: the scenario contract (DESIGN.md §3),
// and the simulation of an application pool under load and faults on the
// engine, reporting the metrics of DESIGN.md §5.
`
	modelDoc = `// Package model is poolsim's world: the simulation of an application pool
// under load and faults on the engine, reporting the metrics of DESIGN.md
// §5. The scenario it runs is package model/scenario (the contract of
// DESIGN.md §3); the HTTPERR log it writes is package model/httperr; the
// queueing formulas it is checked against are package model/queueing.
`
)
