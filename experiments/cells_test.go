package experiments

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
)

// Rule (CSV injection, OWASP): a variant name or sweep label that a
// spreadsheet would run as a formula is written with a leading single
// quote; numbers, negative ones included, are written as they are.
func TestCSVFormulaEscaped(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1+cmd": "'+1+cmd", "-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "-5": "-5", "+1.5": "+1.5", "plain": "plain", "": "",
	} {
		if got := csvText(in); got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
	_, rows := summaryOf(t, "scenario = \"small.toml\"\nreplications = 2\n[variants.\"=1+1\"]\n[variants.\"@x\"]\n\"pool.threads\" = 8\n")
	if rows[1][0] != "'=1+1" || rows[2][0] != "'@x" {
		t.Errorf("variant cells %q, %q", rows[1][0], rows[2][0])
	}
}

// With one replication there is no confidence interval: the CSV cells are
// empty and the text says n/a, and why.
func TestOneReplicationNoInterval(t *testing.T) {
	res, rows := summaryOf(t, "scenario = \"small.toml\"\nreplications = 1\n")
	for i, col := range rows[0] {
		if strings.HasSuffix(col, "_ci") && rows[1][i] != "" {
			t.Errorf("%s = %q with one replication, want empty", col, rows[1][i])
		}
	}
	var b bytes.Buffer
	if err := res.Table(&b, "rate_503"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "± n/a") || !strings.Contains(b.String(), "one replication gives no confidence interval") {
		t.Errorf("table:\n%s", b.String())
	}
}

// summaryOf runs an experiment with the fake model and returns its results
// and the rows of its summary.csv.
func summaryOf(t *testing.T, src string) (*Results, [][]string) {
	t.Helper()
	e := parseString(t, src, fakeSim(fakeRun))
	res, err := e.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := res.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return res, rows
}
