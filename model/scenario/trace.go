package scenario

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
)

// TracePath resolves a trace client's file relative to the scenario file
// that names it, as an absolute path, so that the scenario a sweep records
// in its output directory still finds it.
func TracePath(scenarioFile, file string) string {
	if file == "" || filepath.IsAbs(file) {
		return file
	}
	if scenarioFile != "" {
		file = filepath.Join(filepath.Dir(scenarioFile), file)
	}
	if abs, err := filepath.Abs(file); err == nil {
		return abs
	}
	return file
}

// validateTrace checks a trace client's keys, and that keys of trace
// clients are not given to other kinds.
func (d *scenarioDecoder) validateTrace(p []string, c *Client) {
	if c.Kind != "trace" {
		if c.File != "" {
			d.errorf(join(p, "file"), QuoteString(c.File), `file is for trace clients (kind = "trace")`)
		}
		if c.HTTPErr != "" {
			d.errorf(join(p, "httperr"), QuoteString(c.HTTPErr), `httperr is for trace clients (kind = "trace")`)
		}
		if c.Speedup != 0 {
			d.errorf(join(p, "speedup"), formatTOMLFloat(c.Speedup), `speedup is for trace clients (kind = "trace")`)
		}
		return
	}
	if c.File == "" {
		d.errorf(join(p, "file"), "", "required: the log to replay (W3C extended, HTTPERR or combined)")
	} else {
		written := c.File
		c.File = TracePath(d.file, c.File)
		if _, err := os.Stat(c.File); err != nil {
			d.errorf(join(p, "file"), QuoteString(written), "%s", statError(err))
		}
	}
	if c.HTTPErr != "" {
		written := c.HTTPErr
		c.HTTPErr = TracePath(d.file, c.HTTPErr)
		if _, err := os.Stat(c.HTTPErr); err != nil {
			d.errorf(join(p, "httperr"), QuoteString(written), "%s", statError(err))
		}
	}
	if math.IsNaN(c.Speedup) || c.Speedup < 0 || c.Speedup > maxFactor {
		d.errorf(join(p, "speedup"), formatTOMLFloat(c.Speedup), "must be positive and at most %g, or 0 for the log's own pace", maxFactor)
	}
	for _, k := range []struct {
		key string
		set bool
	}{{"rate", c.Rate != 0}, {"count", c.Count != 0}, {"period", c.Period != 0}, {"profile", len(c.Profile) > 0}} {
		if key, set := k.key, k.set; set {
			d.errorf(join(p, key), "", "%s is not for trace clients: they replay the log's own arrivals", key)
		}
	}
}

// statError says why a trace's log cannot be read, without the path (a
// relative path is resolved against the scenario's directory; the message
// shows it as written).
func statError(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "no such log (a relative path is taken from the scenario file's directory)"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "cannot read the log: " + err.Error()
}
