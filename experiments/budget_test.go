package experiments

import (
	"strings"
	"testing"
)

func TestCheckBudget(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"within", "scenario = \"small.toml\"\n[variants.a]\n[variants.b]\n\"pool.threads\" = 8\n", ""},
		// 20 requests/s for 3000 days: about 5.2e9 requests.
		{"variant", "scenario = \"small.toml\"\n[variants.a]\n[variants.long]\n\"horizon\" = \"3000d\"\n",
			`exp.toml: variant "long": each run would send about 5.18e+09 requests (about 2.07e+10 events), over the budget of 2e+08 events`},
		{"sweep value", "scenario = \"small.toml\"\n[[sweep]]\nkey = \"clients.visitors.rate\"\nvalues = [20, 2000000]\n",
			`exp.toml: variant "base", clients.visitors.rate=2000000: each run would send about 2.4e+09 requests`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseString(t, tt.src, fakeSim(fakeRun))
			err := e.CheckBudget()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckBudget: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("CheckBudget: %v; want %q", err, tt.want)
			}
		})
	}
}
