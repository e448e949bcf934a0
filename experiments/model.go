package experiments

import (
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// modelSimulator runs the real model.
var modelSimulator = simulator{
	decode: func(filename string, data []byte, ov []override) (*scenario.Scenario, error) {
		mo := make([]scenario.Override, len(ov))
		for i, o := range ov {
			mo[i] = scenario.Override{Key: o.Key, Value: o.Value, Source: o.Source}
		}
		return scenario.Decode(filename, data, mo...)
	},
	run: func(sc *scenario.Scenario, opt model.Options) (model.Metrics, error) {
		res, err := model.Run(sc, opt)
		if err != nil {
			return model.Metrics{}, err
		}
		return res.Metrics, nil
	},
}

func shippedScenario(name string) ([]byte, bool) { return catalog.Scenario(name) }
