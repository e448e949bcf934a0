package experiments

import (
	"errors"

	"github.com/poolsim/poolsim/model"
)

// TEMPORARY until model.Decode and catalog exist.
var modelSimulator = simulator{
	decode: func(filename string, data []byte, ov []override) (*model.Scenario, error) {
		return nil, errors.New("model.Decode not available")
	},
	run: func(sc *model.Scenario, rep uint64) (model.Metrics, error) {
		return model.Metrics{}, errors.New("model.Run not available")
	},
}

func shippedExperiment(name string) ([]byte, bool) { return nil, false }
func shippedScenario(name string) ([]byte, bool)   { return nil, false }
