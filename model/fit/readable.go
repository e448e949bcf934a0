package fit

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// A fitted duration is exact to the microsecond or nanosecond
// ("151362us"), more digits than a fit of a log's time-taken (logged to the
// millisecond) can know, and harder to read than "151.4ms". The fit writes
// each duration of a distribution rounded to 4 significant digits in the
// largest unit (s, ms, us) it is at least one of (docs/model.md, "Fitting").

// fineDuration is a quoted duration in microseconds or nanoseconds, as
// scenario.Duration writes a value that no larger unit divides.
var fineDuration = regexp.MustCompile(`"[0-9]+(?:us|ns)"`)

// readableDurations rewrites every such duration in a distribution's TOML
// text.
func readableDurations(text string) string {
	return fineDuration.ReplaceAllStringFunc(text, func(q string) string {
		d, err := scenario.ParseDuration(strings.Trim(q, `"`))
		if err != nil {
			return q
		}
		return `"` + roundDuration(d.T()) + `"`
	})
}

// roundDuration writes t to 4 significant digits in the largest unit of
// s, ms and us that it is at least one of ("151.4ms", "2.346s", "12us").
func roundDuration(t engine.Time) string {
	units := []struct {
		name string
		ns   engine.Time
	}{{"s", engine.Second}, {"ms", engine.Millisecond}, {"us", engine.Microsecond}}
	for _, u := range units {
		if t < u.ns && u.name != "us" {
			continue
		}
		v := float64(t) / float64(u.ns)
		digits := len(strconv.FormatFloat(v, 'f', 0, 64))
		s := strconv.FormatFloat(v, 'f', max(0, 4-digits), 64)
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s + u.name
	}
	return scenario.Duration(t).String()
}
