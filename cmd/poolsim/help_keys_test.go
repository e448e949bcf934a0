package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model/scenario"
)

// TestRunHelpNamesEveryMechanismKey checks that "poolsim run -h" names
// every key of the execution limit, memory, responses, draining, thread
// pool, full queue and operator mechanisms, and every setting of the
// server tables (read from the types the decoder fills).
func TestRunHelpNamesEveryMechanismKey(t *testing.T) {
	_, help, _ := poolsim(t, "run", "-h")
	keys := []string{"execution_timeout", "on_execution_timeout", "execution_timeout_check", "bitness",
		"address_space", "virtual_base", "virtual_growth", "fragmentation", "virtual_memory", "drain",
		"min_bytes_per_second", "proxy_buffering", "on_queue_full", "connect_timeout", "thread_pool", "injection", "retire",
		"allocate", "response_size", "bandwidth", "events.NAME", "action", "reload", "reload_delay"}
	for _, v := range []any{scenario.PHPFPM{}, scenario.Gunicorn{}, scenario.UWSGI{}} {
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			keys = append(keys, strings.Split(ty.Field(i).Tag.Get("toml"), ",")[0])
		}
	}
	for _, k := range keys {
		if !strings.Contains(help, k) {
			t.Errorf("poolsim run -h does not name %s", k)
		}
	}
}
