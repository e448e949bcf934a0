package fit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeLog(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOverDispersionNoted: arrivals in bursts (every other minute empty,
// the others 100 requests) are far from Poisson, and the written workload
// says so.
func TestOverDispersionNoted(t *testing.T) {
	var b strings.Builder
	b.WriteString("#Fields: date time cs-uri-stem sc-status time-taken\n")
	for m := 0; m < 120; m += 2 {
		for i := 0; i < 100; i++ {
			fmt.Fprintf(&b, "2026-11-23 %02d:%02d:%02d /a 200 %d\n", 10+m/60, m%60, i%60, 10+i%7)
		}
	}
	w, err := Read([]string{writeLog(t, t.TempDir(), "bursty.log", b.String())}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !w.OverDispersed() || !strings.Contains(string(w.TOML(nil)), "they come in bursts") {
		t.Errorf("dispersion %g ± %g not reported", w.Dispersion, w.DispersionSE)
	}
}

// TestFitBadLogs: logs fit cannot use are errors that name the file and
// say what is missing.
func TestFitBadLogs(t *testing.T) {
	dir := t.TempDir()
	noTaken := writeLog(t, dir, "u_ex1.log", "#Fields: date time cs-uri-stem sc-status\n2026-11-23 10:00:00 /a 200\n")
	onlyErr := writeLog(t, dir, "httperr1.log", "#Fields: date time cs-uri sc-status s-reason\n2026-11-23 10:00:00 /a 503 QueueFull\n")
	config := writeLog(t, dir, "web.config", strings.Repeat("<configuration>\n", 25))
	for _, tt := range []struct {
		files []string
		want  string
	}{
		{[]string{noTaken}, "u_ex1.log: no request has a time-taken"},
		{[]string{onlyErr}, "no access-log request"},
		{[]string{config}, "web.config: not a W3C extended, HTTPERR or combined log"},
		{[]string{filepath.Join(dir, "missing.log")}, "missing.log: no such file"},
	} {
		_, err := Read(tt.files, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Read(%v): %v, want %q", tt.files, err, tt.want)
		}
	}
}

// TestClassesBusiestFirst: the busiest paths by class name get their own
// classes (paths differing in case are one class, as IIS treats them), the
// rest share "other", and the skipped lines are noted with file and line.
func TestClassesBusiestFirst(t *testing.T) {
	var b strings.Builder
	b.WriteString("#Fields: date time cs-uri-stem sc-status sc-substatus time-taken\n")
	for i := 0; i < 300; i++ {
		path := []string{"/a", "/A", "/b", "/c", "/d"}[i%5]
		fmt.Fprintf(&b, "2026-11-23 10:%02d:%02d %s 200 0 %d\n", i/60, i%60, path, 5+i%11)
	}
	b.WriteString("garbage\n")
	w, err := Read([]string{writeLog(t, t.TempDir(), "u.log", b.String())}, Options{Classes: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range w.Classes {
		got = append(got, fmt.Sprintf("%s:%d", c.Name, c.Count))
	}
	if strings.Join(got, " ") != "a:120 b:60 other:120" {
		t.Errorf("classes %v", got)
	}
	if len(w.Notes) == 0 || !strings.Contains(w.Notes[0], "u.log: 1 malformed lines skipped (of 301); first: ") || !strings.Contains(w.Notes[0], "u.log:302:") {
		t.Errorf("notes %q", w.Notes)
	}
}

// TestDispersionOfPoissonArrivals: Poisson arrivals, at a constant rate
// or with the rate stepping tenfold in mid-hour, have an index of
// dispersion within 3 standard errors of 1 and are not noted as bursty
// (the local mean and the median keep the step from counting as a burst).
func TestDispersionOfPoissonArrivals(t *testing.T) {
	for _, step := range []bool{false, true} {
		r := rand.New(rand.NewPCG(1, 2))
		w := &Workload{minutes: map[int64]int32{}}
		base := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		for at := 0.0; at < 86400; {
			rate := 7.0
			if step && at > 7.5*3600 {
				rate = 70
			}
			at += r.ExpFloat64() / rate
			tt := base.Add(time.Duration(at * 1e9))
			w.minutes[tt.Unix()/60]++
			if w.From.IsZero() {
				w.From = tt
			}
			w.To = tt
		}
		w.dispersion()
		if w.DispersionSE > 0.1 || math.Abs(w.Dispersion-1) > 3*w.DispersionSE || w.OverDispersed() {
			t.Errorf("step %v: index %g ± %g, want 1", step, w.Dispersion, w.DispersionSE)
		}
	}
}

// TestFitCombinedLog: nginx combined logs with $request_time fit like IIS
// logs (seconds to the millisecond), their UTC offset changing in mid-file
// is noted with the line, and the observed outcomes map 4xx to
// not_modelled and 5xx to error.
func TestFitCombinedLog(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 400; i++ {
		zone := "+0100"
		if i >= 300 {
			zone = "+0200"
		}
		status := []int{200, 200, 304, 404, 502}[i%5]
		fmt.Fprintf(&b, "192.0.2.%d - - [29/Mar/2026:00:%02d:%02d %s] \"GET /shop/item.php?id=%d HTTP/1.1\" %d 512 \"-\" \"curl/8\" 0.%03d\n",
			i%250, i/60, i%60, zone, i, status, 20+i%17)
	}
	w, err := Read([]string{writeLog(t, t.TempDir(), "access.log", b.String())}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Classes) != 1 || w.Classes[0].Name != "shop_item_php" || w.Classes[0].All == nil {
		t.Fatalf("classes %+v", w.Classes)
	}
	o := w.Observed
	if o.OK != 240 || o.NotModelled != 80 || o.Error != 80 {
		t.Errorf("observed %+v", o)
	}
	if len(w.Notes) == 0 || !strings.Contains(strings.Join(w.Notes, "\n"), "access.log:301: the UTC offset changes (100 lines") {
		t.Errorf("notes %q", w.Notes)
	}
}
