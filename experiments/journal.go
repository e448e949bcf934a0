package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
)

// JournalFormat names the journal's format; it is the first line's
// "journal" field.
const JournalFormat = "poolsim-journal/1"

// Journal is the content of a sweep's journal.jsonl: a header line naming
// the experiment, then one line per finished run, appended and synced to
// disk as each run finishes (in completion order, keyed by run index). It is
// what a resumed or merged sweep reads back.
//
// The header is a JSON object
//
//	{"journal":"poolsim-journal/1","experiment":NAME,"fingerprint":"sha256:…",
//	 "points":P,"seed":S,"metrics":[…],"shards":N,"shard_index":I}
//
// and each run a JSON object
//
//	{"run":12,"point":2,"replication":1,"values":["0.0123","40",…]}
//
// whose values, in the order of the header's metrics, are strings holding
// the shortest decimal that reads back as the same float64 (so that NaN and
// infinities survive, and tables rebuilt from the journal are byte-identical).
type Journal struct {
	Experiment  string   `json:"experiment"`
	Fingerprint string   `json:"fingerprint"`
	Points      int      `json:"points"`
	Seed        uint64   `json:"seed"`
	Metrics     []string `json:"metrics"`
	Shards      int      `json:"shards"`
	ShardIndex  int      `json:"shard_index"`
	// Runs are the finished runs in run-index order, each once.
	Runs []Row `json:"-"`
}

type journalHeader struct {
	Format string `json:"journal"`
	Journal
}

type journalRun struct {
	Run         int      `json:"run"`
	Point       int      `json:"point"`
	Replication int      `json:"replication"`
	Values      []string `json:"values"`
}

// Fingerprint identifies what an experiment's runs compute: a SHA-256 of
// poolsim's version, the random-stream scheme, the metric names, the
// experiment file and the scenario file. Journals and shards with the same
// fingerprint hold interchangeable runs.
func (e *Experiment) Fingerprint() string {
	h := sha256.New()
	for _, s := range []string{e.version(), engine.StreamScheme, strings.Join(model.MetricNames(), ","), string(e.source), string(e.scenarioData)} {
		fmt.Fprintf(h, "%d:%s\x00", len(s), s)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// version returns e.Version, or DefaultVersion.
func (e *Experiment) version() string {
	if e.Version == "" {
		return DefaultVersion
	}
	return e.Version
}

// ReadJournal reads dir/journal.jsonl. A last line cut short (the process
// was killed while writing it) is ignored; any other damage is an error.
func ReadJournal(dir string) (*Journal, error) {
	path := filepath.Join(dir, JournalFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	end, _ := journalEnd(data)
	lines := bytes.Split(data[:end], []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s: empty journal", path)
	}
	var h journalHeader
	if err := json.Unmarshal(lines[0], &h); err != nil || h.Format != JournalFormat {
		return nil, fmt.Errorf("%s:1: not a poolsim journal (want a %q header)", path, JournalFormat)
	}
	j := h.Journal
	seen := map[int]bool{}
	for n, line := range lines[1:] {
		var r journalRun
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n+2, err)
		}
		if r.Run < 0 || j.Points <= 0 || r.Point != r.Run%j.Points || r.Replication != r.Run/j.Points || len(r.Values) != len(j.Metrics) {
			return nil, fmt.Errorf("%s:%d: run %d does not fit the journal's header", path, n+2, r.Run)
		}
		if seen[r.Run] {
			continue
		}
		seen[r.Run] = true
		row := Row{Run: r.Run, Point: r.Point, Replication: r.Replication, Seed: j.Seed, Values: make([]float64, len(r.Values))}
		for i, s := range r.Values {
			if row.Values[i], err = strconv.ParseFloat(s, 64); err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %v", path, n+2, j.Metrics[i], err)
			}
		}
		j.Runs = append(j.Runs, row)
	}
	slices.SortFunc(j.Runs, func(a, b Row) int { return a.Run - b.Run })
	return &j, nil
}

// journalEnd returns where a journal's records end: a last line without
// its newline (the write was cut) is kept when it is a whole record, which
// then needs its newline (terminate), and dropped when it is torn. Reading
// (resume, merge) and appending agree through it: a run is either done or
// to be run again, never both.
func journalEnd(data []byte) (end int, terminate bool) {
	last := bytes.LastIndexByte(data, '\n') + 1
	if last == len(data) {
		return len(data), false
	}
	if json.Valid(data[last:]) { // a cut JSON object is never valid
		return len(data), true
	}
	return last, false
}

// journalWriter appends runs to a journal, syncing after each batch.
type journalWriter struct {
	f   *os.File
	buf []byte
}

// createJournal starts a journal at path, or appends to the one there when
// appending is set.
func createJournal(path string, header Journal, appending bool) (*journalWriter, error) {
	if appending {
		f, err := openNoFollow(path)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		// Drop a torn last line, or end a whole one, so that the next
		// record starts on its own line.
		end, terminate := journalEnd(data)
		if err := f.Truncate(int64(end)); err != nil {
			f.Close()
			return nil, err
		}
		if terminate {
			if _, err := f.WriteAt([]byte("\n"), int64(end)); err != nil {
				f.Close()
				return nil, err
			}
		}
		if _, err := f.Seek(0, io.SeekEnd); err != nil {
			f.Close()
			return nil, err
		}
		return &journalWriter{f: f}, nil
	}
	f, err := createNoFollow(path)
	if err != nil {
		return nil, err
	}
	line, err := json.Marshal(journalHeader{Format: JournalFormat, Journal: header})
	if err == nil {
		_, err = f.Write(append(line, '\n'))
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &journalWriter{f: f}, nil
}

// append writes rows and syncs them to disk.
func (w *journalWriter) append(rows []Row) error {
	w.buf = w.buf[:0]
	for _, r := range rows {
		w.buf = fmt.Appendf(w.buf, `{"run":%d,"point":%d,"replication":%d,"values":[`, r.Run, r.Point, r.Replication)
		for i, v := range r.Values {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			w.buf = append(w.buf, '"')
			w.buf = strconv.AppendFloat(w.buf, v, 'g', -1, 64)
			w.buf = append(w.buf, '"')
		}
		w.buf = append(w.buf, "]}\n"...)
	}
	if _, err := w.f.Write(w.buf); err != nil {
		return err
	}
	return w.f.Sync()
}

func (w *journalWriter) close() error { return w.f.Close() }

// errJournalMismatch reports a journal written by another experiment.
var errJournalMismatch = errors.New("the journal belongs to a different experiment, scenario or poolsim version")
