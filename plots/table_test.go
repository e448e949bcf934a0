package plots

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParseTable(t *testing.T) {
	tests := []struct {
		name, csv         string
		kind              string
		keys, metrics     []string
		wantErr           string
		rows              int
		firstVariant      string
		firstMetricColumn string
	}{
		{
			name:    "summary",
			csv:     "variant,a.b,c,n,rate_503_mean,rate_503_ci,ok_mean,ok_ci\nx,1,2,10,0.1,0.01,5,1\n",
			kind:    "summary",
			keys:    []string{"a.b", "c"},
			metrics: []string{"rate_503", "ok"},
			rows:    1,
		},
		{
			name:    "compare",
			csv:     "variant,baseline,k,n,rate_503_diff,rate_503_diff_ci\nx,y,1,10,0.1,0.01\n",
			kind:    "compare",
			keys:    []string{"k"},
			metrics: []string{"rate_503"},
			rows:    1,
		},
		{
			name:    "results",
			csv:     "variant,k,replication,seed,rate_503,ok\nx,1,0,7,0.1,5\nx,1,1,7,0.2,6\n",
			kind:    "results",
			keys:    []string{"k"},
			metrics: []string{"rate_503", "ok"},
			rows:    2,
		},
		{
			name:    "summary without sweep keys, with a byte-order mark",
			csv:     "\ufeffvariant,n,ok_mean,ok_ci\n",
			kind:    "summary",
			metrics: []string{"ok"},
		},
		{name: "not a result table", csv: "a,b\n1,2\n", rows: 1},
		{name: "empty", csv: "", wantErr: "empty: no header row"},
		{name: "duplicate column", csv: "variant,n,n\n", wantErr: `column "n" appears twice`},
		{name: "unnamed column", csv: "variant,,n\n", wantErr: "column 2 has no name"},
		{name: "ragged", csv: "variant,n\nx,1,2\n", wantErr: "wrong number of fields"},
		{name: "bad quote", csv: "variant,n\n\"x,1\n", wantErr: "table"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := ParseTable(strings.NewReader(tc.csv))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tb.Kind(); got != tc.kind {
				t.Errorf("Kind = %q, want %q", got, tc.kind)
			}
			if got := tb.SweepKeys(); !slices.Equal(got, tc.keys) {
				t.Errorf("SweepKeys = %q, want %q", got, tc.keys)
			}
			if got := tb.Metrics(); !slices.Equal(got, tc.metrics) {
				t.Errorf("Metrics = %q, want %q", got, tc.metrics)
			}
			if len(tb.Rows) != tc.rows {
				t.Errorf("%d rows, want %d", len(tb.Rows), tc.rows)
			}
			if tb.Col("variant") != 0 && tc.kind != "" {
				t.Errorf("Col(variant) = %d", tb.Col("variant"))
			}
			if tb.Col("nope") != -1 {
				t.Errorf("Col(nope) = %d, want -1", tb.Col("nope"))
			}
		})
	}
}

func TestFloat(t *testing.T) {
	tb, err := ParseTable(strings.NewReader("a,b,c,d,e\n1.5,,NaN, -2e-3 ,x\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		col  int
		want float64
		err  string
	}{
		{0, 1.5, ""},
		{1, math.NaN(), ""},
		{2, math.NaN(), ""},
		{3, -0.002, ""},
		{4, 0, `column "e": "x" is not a number`},
		{5, 0, "no cell at row 1, column 6"},
	} {
		got, err := tb.Float(0, tc.col)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("col %d: err = %v, want %q", tc.col, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("col %d: %v", tc.col, err)
			continue
		}
		if got != tc.want && !(math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("col %d = %v, want %v", tc.col, got, tc.want)
		}
	}
}

func TestReadTableMissingFile(t *testing.T) {
	_, err := ReadTable("testdata/no-such.csv")
	if err == nil || !strings.Contains(err.Error(), "no-such.csv") {
		t.Fatalf("err = %v, want one naming the file", err)
	}
}
