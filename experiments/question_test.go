package experiments

import (
	"testing"

	"github.com/poolsim/poolsim/internal/stattest"
	"github.com/poolsim/poolsim/model"
)

// TestRecycleStrategiesAnswersItsQuestion checks that the shipped
// recycle-strategies experiment answers its question (docs/model.md#recycling):
// with the experiment's own [overrides] and variants, a non-overlapped
// 60-minute recycle leaves no worker for each start-up and refuses requests
// that the overlapped one serves. Paired by replication (common random
// numbers), the differences in rate_503 and outage_time_s must be positive
// with their 99 % intervals clear of zero. Half the horizon and five
// replications keep the test quick.
func TestRecycleStrategiesAnswersItsQuestion(t *testing.T) {
	e, err := Load("recycle-strategies")
	if err != nil {
		t.Fatal(err)
	}
	run := func(variant string, rep uint64) model.Metrics {
		v, ok := e.Variant(variant)
		if !ok {
			t.Fatalf("no variant %q", variant)
		}
		ov := append(e.variantOverrides(v), override{Key: "horizon", Value: `"12h"`, Source: "test"})
		sc, err := e.sim.decode(e.ScenarioFile, e.scenarioData, ov)
		if err != nil {
			t.Fatal(err)
		}
		sc.Seed = e.Seed
		res, err := model.Run(sc, model.Options{Replication: rep})
		if err != nil {
			t.Fatal(err)
		}
		return res.Metrics
	}
	var d503, dOut []float64
	for rep := range uint64(5) {
		over, non := run("time 60m", rep), run("time 60m, non-overlapped", rep)
		d503 = append(d503, non.Rate503-over.Rate503)
		dOut = append(dOut, non.OutageTimeS-over.OutageTimeS)
	}
	for _, c := range []struct {
		name string
		d    []float64
	}{{"rate_503", d503}, {"outage_time_s", dOut}} {
		mean, half := stattest.MeanCI(c.d, 0.99)
		if mean-half <= 0 {
			t.Errorf("non-overlapped − overlapped %s = %g ± %g: the strategies do not differ", c.name, mean, half)
		}
		t.Logf("non-overlapped − overlapped %s = %g ± %g (99 %%, paired)", c.name, mean, half)
	}
}
