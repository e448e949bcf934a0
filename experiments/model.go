package experiments

import (
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model"
)

// modelSimulator runs the real model.
var modelSimulator = simulator{
	decode: func(filename string, data []byte, ov []override) (*model.Scenario, error) {
		mo := make([]model.Override, len(ov))
		for i, o := range ov {
			mo[i] = model.Override{Key: o.Key, Value: o.Value, Source: o.Source}
		}
		return model.Decode(filename, data, mo...)
	},
	run: func(sc *model.Scenario, opt model.Options) (model.Metrics, error) {
		res, err := model.Run(sc, opt)
		if err != nil {
			return model.Metrics{}, err
		}
		return res.Metrics, nil
	},
}

func shippedScenario(name string) ([]byte, bool) { return catalog.Scenario(name) }
