package experiments

import (
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// override is one dotted-key override as the scenario decoder takes it.
type override struct {
	Key, Value, Source string
}

// simulator is what the experiment runner needs of the model: decoding a
// scenario with overrides, and running one replication of it. Tests swap in
// a fake.
type simulator struct {
	decode func(filename string, data []byte, ov []override) (*scenario.Scenario, error)
	run    func(sc *scenario.Scenario, opt model.Options) (model.Metrics, error)
}
