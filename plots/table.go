package plots

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Table is a CSV result table: results.csv (one row per run), summary.csv
// (one row per grid point, <metric>_mean and <metric>_ci) or compare.csv (one
// row per variant and grid point, <metric>_diff and <metric>_diff_ci against
// the baseline).
type Table struct {
	// Name names the table in errors: its file name, or "" when parsed from
	// a reader (set it to say where the table came from).
	Name    string
	Columns []string
	Rows    [][]string
}

// ReadTable reads a CSV result table from a file.
func ReadTable(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	defer f.Close()
	t, err := parseTable(f, path)
	if err != nil {
		return nil, err
	}
	t.Name = path
	return t, nil
}

// ParseTable reads a CSV result table: a header row of unique column names,
// then rows with as many fields.
func ParseTable(r io.Reader) (*Table, error) { return parseTable(r, "table") }

func parseTable(r io.Reader, name string) (*Table, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("plots: %s is empty: no header row", name)
	}
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", name, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	for i, c := range header {
		if c == "" {
			return nil, fmt.Errorf("plots: %s: column %d has no name", name, i+1)
		}
		if j := slices.Index(header[:i], c); j >= 0 {
			return nil, fmt.Errorf("plots: %s: column %q appears twice (columns %d and %d)", name, c, j+1, i+1)
		}
	}
	t := &Table{Columns: header}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", name, err)
		}
		t.Rows = append(t.Rows, rec)
	}
	return t, nil
}

// name is the table's name for errors.
func (t *Table) name() string {
	if t.Name == "" {
		return "table"
	}
	return t.Name
}

// Col returns the index of the named column, or -1 when there is none.
func (t *Table) Col(name string) int { return slices.Index(t.Columns, name) }

// Float parses the cell at row and col (indices into Rows and Columns). An
// empty cell is NaN, as are "NaN" cells (a confidence interval of one
// replication).
func (t *Table) Float(row, col int) (float64, error) {
	if row < 0 || row >= len(t.Rows) || col < 0 || col >= len(t.Columns) {
		return math.NaN(), fmt.Errorf("plots: %s has no cell at row %d, column %d", t.name(), row+1, col+1)
	}
	s := strings.TrimSpace(t.Rows[row][col])
	if s == "" {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN(), fmt.Errorf("plots: %s row %d column %q: %q is not a number", t.name(), row+2, t.Columns[col], s)
	}
	return v, nil
}

// Str returns the cell at row and col, "" when out of range.
func (t *Table) Str(row, col int) string {
	if row < 0 || row >= len(t.Rows) || col < 0 || col >= len(t.Rows[row]) {
		return ""
	}
	return t.Rows[row][col]
}

// Kind tells which table this is from its columns: "compare" (a baseline
// column), "summary" (an n column), "results" (a replication column), or ""
// when it is none of them.
func (t *Table) Kind() string {
	switch {
	case t == nil:
		return ""
	case t.Col("variant") < 0:
		return ""
	case t.Col("baseline") >= 0 && t.Col("n") >= 0:
		return "compare"
	case t.Col("n") >= 0:
		return "summary"
	case t.Col("replication") >= 0:
		return "results"
	}
	return ""
}

// SweepKeys returns the sweep keys: the columns between variant (compare:
// baseline) and n (results: replication).
func (t *Table) SweepKeys() []string {
	if t == nil {
		return nil
	}
	from, to := t.Col("variant"), -1
	switch t.Kind() {
	case "compare":
		from, to = t.Col("baseline"), t.Col("n")
	case "summary":
		to = t.Col("n")
	case "results":
		to = t.Col("replication")
	}
	if from < 0 || to <= from {
		return nil
	}
	return slices.Clone(t.Columns[from+1 : to])
}

// Metrics returns the metric names the table has, in column order: the
// <metric>_mean columns of a summary, the <metric>_diff columns of a
// comparison, the columns after seed of a results table.
func (t *Table) Metrics() []string {
	var out []string
	switch t.Kind() {
	case "summary":
		for _, c := range t.Columns {
			if m, ok := strings.CutSuffix(c, "_mean"); ok {
				out = append(out, m)
			}
		}
	case "compare":
		for _, c := range t.Columns {
			if m, ok := strings.CutSuffix(c, "_diff"); ok {
				out = append(out, m)
			}
		}
	case "results":
		if s := t.Col("seed"); s >= 0 {
			out = slices.Clone(t.Columns[s+1:])
		}
	}
	return out
}

// metricCol returns the index of the column metric+suffix, or an error that
// names the column and lists the metrics the table has.
func (t *Table) metricCol(metric, suffix string) (int, error) {
	if metric == "" {
		return -1, errors.New("plots: no metric given")
	}
	c := t.Col(metric + suffix)
	if c >= 0 {
		return c, nil
	}
	ms := t.Metrics()
	if len(ms) == 0 {
		return -1, fmt.Errorf("plots: %s has no column %q (metric %q), and no metric columns at all", t.name(), metric+suffix, metric)
	}
	return -1, fmt.Errorf("plots: %s has no column %q (metric %q); its metrics are: %s", t.name(), metric+suffix, metric, strings.Join(ms, ", "))
}

// need checks that the table is of the wanted kind and has rows.
func (t *Table) need(kind string) error {
	if t == nil {
		return fmt.Errorf("plots: no %s table", kind)
	}
	if k := t.Kind(); k != kind {
		want := map[string]string{
			"summary": "variant, the sweep keys, n, <metric>_mean, <metric>_ci",
			"compare": "variant, baseline, the sweep keys, n, <metric>_diff, <metric>_diff_ci",
		}[kind]
		return fmt.Errorf("plots: %s is not a %s table (want columns %s; have %s)", t.name(), kind, want, strings.Join(t.Columns, ", "))
	}
	if len(t.Rows) == 0 {
		return fmt.Errorf("plots: %s has no rows", t.name())
	}
	return nil
}

// point is one row of a summary or comparison: its grid coordinates and the
// value of one metric with its confidence half-width.
type point struct {
	row   int
	dims  []string // variant, then the sweep keys' values (summary); variant, baseline, sweep values (compare)
	value float64
	ci    float64
	hasCI bool
	n     int // replications behind the value (0: the table does not say)
}

// points reads one metric (columns metric+valSuffix and metric+ciSuffix) of
// every row, with the row's variant and sweep-key values.
func (t *Table) points(metric, valSuffix, ciSuffix string) ([]point, []string, error) {
	vc, err := t.metricCol(metric, valSuffix)
	if err != nil {
		return nil, nil, err
	}
	cc, err := t.metricCol(metric, ciSuffix)
	if err != nil {
		return nil, nil, err
	}
	dimNames := []string{"variant"}
	if t.Kind() == "compare" {
		dimNames = append(dimNames, "baseline")
	}
	dimNames = append(dimNames, t.SweepKeys()...)
	nc := t.Col("n")
	dimCols := make([]int, len(dimNames))
	for i, d := range dimNames {
		dimCols[i] = t.Col(d)
	}
	pts := make([]point, 0, len(t.Rows))
	for r, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return nil, nil, fmt.Errorf("plots: %s row %d has %d fields, want %d", t.name(), r+2, len(row), len(t.Columns))
		}
		p := point{row: r}
		for _, c := range dimCols {
			p.dims = append(p.dims, row[c])
		}
		if p.value, err = t.Float(r, vc); err != nil {
			return nil, nil, err
		}
		if p.ci, err = t.Float(r, cc); err != nil {
			return nil, nil, err
		}
		if nc >= 0 {
			p.n, _ = strconv.Atoi(strings.TrimSpace(row[nc]))
		}
		p.hasCI = !math.IsNaN(p.ci) && !math.IsInf(p.ci, 0)
		if p.hasCI {
			p.ci = math.Abs(p.ci)
		}
		pts = append(pts, p)
	}
	return pts, dimNames, nil
}
