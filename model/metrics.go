package model

import (
	"reflect"
	"sync"
)

var metricFields = sync.OnceValue(func() []string {
	t := reflect.TypeFor[Metrics]()
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = t.Field(i).Tag.Get("metric")
	}
	return names
})

// MetricNames returns the metric names in their fixed order: the order of
// `--json` keys and of CSV columns.
func MetricNames() []string { return append([]string(nil), metricFields()...) }

// Values returns the metrics in the order of MetricNames.
func (m *Metrics) Values() []float64 {
	v := reflect.ValueOf(m).Elem()
	out := make([]float64, v.NumField())
	for i := range out {
		out[i] = v.Field(i).Float()
	}
	return out
}

// Get returns the metric called name and whether there is one.
func (m *Metrics) Get(name string) (float64, bool) {
	for i, n := range metricFields() {
		if n == name {
			return reflect.ValueOf(m).Elem().Field(i).Float(), true
		}
	}
	return 0, false
}
