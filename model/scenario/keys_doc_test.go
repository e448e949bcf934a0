package scenario

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestEveryKeyInREADME checks that the README's key tables name every key
// of the scenario file: as `pool.memory.base`, or as `.base` in a row that
// groups the keys of one table. Named entries are written NAME.
func TestEveryKeyInREADME(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err) // the README is part of the contract: its absence is a failure, not a skip
	}
	readme := string(data)
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		names, index := tomlFields(typ)
		for _, n := range names {
			key := n
			if prefix != "" {
				key = prefix + "." + n
			}
			ft := typ.Field(index[n]).Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Map {
				walk(key+".NAME", ft.Elem().Elem())
				continue
			}
			if ft.Kind() == reflect.Struct && isTable(ft) {
				walk(key, ft)
				continue
			}
			if !strings.Contains(readme, "`"+key+"`") && !strings.Contains(readme, "`"+key+".") &&
				!strings.Contains(readme, "`."+n+"`") {
				t.Errorf("the README's key table does not name %s", key)
			}
		}
	}
	walk("", reflect.TypeFor[Scenario]())
}
