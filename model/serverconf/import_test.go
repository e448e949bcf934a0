package serverconf

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/internal/golden"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func importFiles(t *testing.T, pool string, names ...string) (*Result, error) {
	t.Helper()
	var datas [][]byte
	var files []string
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, n)
		datas = append(datas, data)
	}
	return Import(files, datas, pool)
}

// TestImportRoundTrip imports each configuration, compares the scenario
// with its golden file, decodes it (the server presets translating the
// server's words) and runs it: config → import → run works for each
// server. The checks name the rule each value follows.
func TestImportRoundTrip(t *testing.T) {
	h := func(n int) scenario.Duration { return scenario.Duration(engine.Time(n) * engine.Hour) }
	s := func(n int) scenario.Duration { return scenario.Duration(engine.Time(n) * engine.Second) }
	tests := []struct {
		golden string
		pool   string
		files  []string
		check  func(t *testing.T, sc *scenario.Scenario)
	}{
		{"iisexpress.toml", "Clr4IntegratedAppPool", []string{"iisexpress-applicationhost.config"}, func(t *testing.T, sc *scenario.Scenario) {
			// IIS Express sets nothing poolsim models: IIS's defaults stand.
			if sc.Pool.Name != "Clr4IntegratedAppPool" || sc.Pool.QueueLength != 1000 || sc.Pool.Recycle.Time != h(29) {
				t.Errorf("pool %+v", sc.Pool)
			}
		}},
		{"production-trend.toml", "trend", []string{"production-applicationHost.config"}, checkProductionTrend},
		{"production-default.toml", "DefaultAppPool", []string{"production-applicationHost.config"}, func(t *testing.T, sc *scenario.Scenario) {
			// A pool with no attributes of its own takes the defaults'.
			if sc.Pool.QueueLength != 2000 || sc.Pool.IdleTimeout != scenario.Duration(45*engine.Minute) || sc.Pool.Recycle.Time != 0 {
				t.Errorf("pool %+v", sc.Pool)
			}
		}},
		{"www.toml", "", []string{"php-fpm.conf", "www.conf"}, func(t *testing.T, sc *scenario.Scenario) {
			// Debian's www.conf: 5 children, one request each; the
			// global emergency restart turns on php-fpm's supervisor.
			p := sc.Pool
			if sc.Server != "php-fpm" || p.MaxProcesses != 5 || p.Threads != 1 || !p.RapidFail.Enabled ||
				p.RapidFail.Policy != "emergency_restart" || p.RapidFail.MaxCrashes != 10 || p.RapidFail.Interval != s(60) {
				t.Errorf("server %s pool %+v", sc.Server, p)
			}
		}},
		{"shop.toml", "shop", []string{"busy-pools.conf"}, func(t *testing.T, sc *scenario.Scenario) {
			// listen.backlog = -1 is somaxconn (4096), queue backlog + 1;
			// request_terminate_timeout is the execution limit.
			p := sc.Pool
			if p.MaxProcesses != 40 || p.QueueLength != 4097 || p.ExecutionTimeout != s(30) || p.Recycle.Requests != 1000 {
				t.Errorf("pool %+v", p)
			}
		}},
		{"admin.toml", "admin", []string{"busy-pools.conf"}, func(t *testing.T, sc *scenario.Scenario) {
			if sc.Pool.IdleTimeout != s(120) || sc.Pool.ExecutionTimeout != h(2) {
				t.Errorf("pool %+v", sc.Pool)
			}
		}},
		{"gunicorn.toml", "", []string{"gunicorn.conf.py"}, func(t *testing.T, sc *scenario.Scenario) {
			p := sc.Pool
			// threads = 2 is the gthread worker: its timeout does not end a
			// request (gunicorn's settings, timeout), so no execution limit.
			if sc.Server != "gunicorn" || p.MaxProcesses != 4 || p.Threads != 2 || p.QueueLength != 65 || p.ExecutionTimeout != 0 ||
				p.Recycle.Requests != 2000 || p.Recycle.RequestsJitter != 200 || p.ShutdownTimeLimit != s(30) {
				t.Errorf("pool %+v", p)
			}
		}},
		{"gunicorn-computed.toml", "", []string{"gunicorn-computed.conf.py"}, func(t *testing.T, sc *scenario.Scenario) {
			// workers is computed: not evaluated, so gunicorn's default 1.
			if sc.Pool.MaxProcesses != 1 || sc.Pool.ExecutionTimeout != s(30) {
				t.Errorf("pool %+v", sc.Pool)
			}
		}},
		{"gunicorn-service.toml", "", []string{"gunicorn.service"}, func(t *testing.T, sc *scenario.Scenario) {
			// threads = 4: the gthread worker, no execution limit.
			if sc.Pool.MaxProcesses != 3 || sc.Pool.Threads != 4 || sc.Pool.ExecutionTimeout != 0 || sc.Pool.Recycle.RequestsJitter != 50 ||
				sc.Gunicorn.Timeout != s(60) {
				t.Errorf("pool %+v", sc.Pool)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			res, err := importFiles(t, tt.pool, tt.files...)
			if err != nil {
				t.Fatal(err)
			}
			if err := golden.Compare(filepath.Join("testdata", "golden", tt.golden), res.Text, *update); err != nil {
				t.Errorf("scenario: %v\n%s", err, res.Text)
			}
			sc, err := scenario.Decode(tt.golden, res.Text)
			if err != nil {
				t.Fatalf("the imported scenario does not decode: %v", err)
			}
			tt.check(t, sc)
			sc.Horizon = scenario.Duration(10 * engine.Minute)
			r, err := model.Run(sc, model.Options{})
			if err != nil || r.Metrics.Arrivals == 0 {
				t.Fatalf("run: %v, %v arrivals", err, r.Metrics.Arrivals)
			}
		})
	}
}

// checkProductionTrend checks the IIS rules on the pool "trend" of
// production-applicationHost.config: <add> wins over
// <applicationPoolDefaults> attribute by attribute; defaults fill in what
// the pool leaves out; time spans d.hh:mm:ss; memory in KB;
// disallowOverlappingRotation negated; TcpLevel is tcp;
// enable32BitAppOnWin64 is a 32-bit worker on 64-bit Windows, 4 GB.
func checkProductionTrend(t *testing.T, sc *scenario.Scenario) {
	h := func(n int) scenario.Duration { return scenario.Duration(engine.Time(n) * engine.Hour) }
	s := func(n int) scenario.Duration { return scenario.Duration(engine.Time(n) * engine.Second) }
	p := sc.Pool
	checks := []struct {
		what string
		ok   bool
	}{
		{"queue_length 4000 (add over defaults' 2000)", p.QueueLength == 4000},
		{"idle_timeout 0s (add over defaults' 45m)", p.IdleTimeout == 0},
		{"ping.enabled from the defaults", p.Ping.Enabled},
		{"ping interval 10s, response 1m", p.Ping.Interval == s(10) && p.Ping.ResponseTime == s(60)},
		{"max_processes 2", p.MaxProcesses == 2},
		{"shutdown_time_limit 30s", p.ShutdownTimeLimit == s(30)},
		{"recycle.time 1.05:00:00 = 29h", p.Recycle.Time == h(29)},
		{"recycle.requests 100000", p.Recycle.Requests == 100000},
		{"private_memory 1048576 KB = 1GB", p.Recycle.PrivateMemory == 1<<30},
		{"virtual_memory 3145728 KB = 3GB", p.Recycle.VirtualMemory == 3<<30},
		{"not overlapping", !p.Recycle.Overlapping},
		{"schedule: the defaults' entry, then the pool's", len(p.Recycle.Schedule) == 3 && p.Recycle.Schedule[0] == scenario.TimeOfDay(2*engine.Hour) && p.Recycle.Schedule[2] == scenario.TimeOfDay(15*engine.Hour+30*engine.Minute)},
		{"rapid fail 10 in 10m", p.RapidFail.Enabled && p.RapidFail.MaxCrashes == 10 && p.RapidFail.Interval == scenario.Duration(10*engine.Minute)},
		{"load_balancer tcp", p.LoadBalancer == "tcp"},
		{"enable32BitAppOnWin64: a 4GB address space (a large-address-aware w3wp.exe under WOW64)", p.Bitness == 0 && p.Memory.AddressSpace == 4<<30},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: pool %+v", c.what, p)
		}
	}
}

// TestEveryUnmodelledSettingWarned: each setting poolsim does not model is
// a warning with its file and line; none is dropped silently.
func TestEveryUnmodelledSettingWarned(t *testing.T) {
	res, err := importFiles(t, "Trend", "production-applicationHost.config")
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(res.Warnings, "\n")
	for _, want := range []string{
		`:10: add startMode="AlwaysRunning"`, `:11: add processModel.identityType="SpecificUser"`,
		`:11: add processModel.idleTimeoutAction="Suspend"`, `:20: add failure.orphanWorkerProcess="false"`,
		`:20: add failure.autoShutdownExe=`, `:21: add cpu.limit="50000"`, `:22: add <environmentVariables>`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("no warning %q in\n%s", want, joined)
		}
	}
	// A default that the pool does not override is in effect, and warned.
	res, err = importFiles(t, "DefaultAppPool", "production-applicationHost.config")
	if err != nil {
		t.Fatal(err)
	}
	if joined := strings.Join(res.Warnings, "\n"); !strings.Contains(joined, `:27: applicationPoolDefaults processModel.identityType="ApplicationPoolIdentity"`) {
		t.Errorf("no warning of the defaults' identityType in\n%s", joined)
	}
	res, err = importFiles(t, "", "gunicorn-computed.conf.py")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 2 || !strings.Contains(res.Warnings[1], "gunicorn-computed.conf.py:5: workers = multiprocessing.cpu_count() * 2 + 1: computed by Python, not evaluated") {
		t.Errorf("warnings %q", res.Warnings)
	}
}

func TestSeveralPoolsListed(t *testing.T) {
	_, err := importFiles(t, "", "iisexpress-applicationhost.config")
	var pe *PoolsError
	if !errors.As(err, &pe) || strings.Join(pe.Pools, ",") != "Clr4IntegratedAppPool,Clr4ClassicAppPool,Clr2IntegratedAppPool,Clr2ClassicAppPool,UnmanagedClassicAppPool" {
		t.Errorf("error %v", err)
	}
}

// TestBadConfigs: each bad input is an error naming the file and line and
// what is wrong.
func TestBadConfigs(t *testing.T) {
	tests := []struct{ name, data, pool, want string }{
		{"a.config", "<configuration>\n<system.applicationHost>\n<applicationPools>\n<add name=\"x\" queueLength=\"1000\">\n</applicationPools>", "", "a.config:5: malformed XML: element <add> closed by </applicationPools>"},
		{"web.config", "<configuration>\n  <system.webServer/>\n</configuration>", "", "web.config:1: no <system.applicationHost><applicationPools> section"},
		{"b.config", "<?xml version=\"1.0\"?>\n<site/>", "", "b.config:2: the root element is <site>"},
		{"c.config", "<configuration><system.applicationHost><applicationPools>\n<add name=\"p\">\n<processModel idleTimeout=\"20 minutes\"/></add></applicationPools></system.applicationHost></configuration>", "", "c.config:3: add processModel.idleTimeout=\"20 minutes\": want a time span"},
		{"d.config", "<configuration><system.applicationHost><applicationPools>\n<add name=\"p\" queueLength=\"lots\"/></applicationPools></system.applicationHost></configuration>", "", "d.config:2: add queueLength=\"lots\": want a whole number"},
		{"e.config", "<configuration><system.applicationHost><applicationPools><add name=\"p\"/></applicationPools></system.applicationHost></configuration>", "q", "e.config: no pool named \"q\" (pools: p)"},
		{"f.config", "<configuration><system.applicationHost><applicationPools>\n<add name=\"p\"><recycling><periodicRestart><schedule><add value=\"25:00:00\"/></schedule></periodicRestart></recycling></add></applicationPools></system.applicationHost></configuration>", "", "f.config:2: recycling periodicRestart schedule value=\"25:00:00\""},
		{"pool.conf", "[www]\npm = sometimes\n", "", "pool.conf:2: pm = sometimes: want static, dynamic or ondemand"},
		{"pool2.conf", "[www]\n[admin\npm = static\n", "", "pool2.conf:2: malformed section header"},
		{"pool3.conf", "[www]\npm.max_children = five\n", "", "pool3.conf:2: pm.max_children = five: want a whole number"},
		{"pool4.conf", "[www]\nrequest_terminate_timeout = 30 seconds\n", "", "pool4.conf:2: request_terminate_timeout = 30 seconds: want a time"},
		{"php-fpm.conf", "[global]\nemergency_restart_threshold = 3\n", "", "php-fpm.conf: no pool section ([www])"},
		{"g.py", "workers = 'four'\n", "", "g.py:1: workers = 'four': want a whole number"},
		{"notes.txt", "Remember to buy milk.\n", "", "notes.txt: not a configuration poolsim imports"},
		{"empty.conf", "  \n", "", "empty.conf: empty file"},
		{"bin.config", "<\x00>", "", "bin.config: binary data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import([]string{tt.name}, [][]byte{[]byte(tt.data)}, tt.pool)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestIISSpan(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"00:20:00": 20 * time.Minute, "1.05:00:00": 29 * time.Hour, "00:00:00": 0, "00:00:01.5": 1500 * time.Millisecond,
		"10675.23:59:59": (10675*24+23)*time.Hour + 59*time.Minute + 59*time.Second,
	} {
		got, err := iisSpan(in)
		if err != nil || got.T().Duration() != want {
			t.Errorf("iisSpan(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"20", "24:00:00", "00:60:00", "-1.00:00:00", "1e3:00:00", "00:00:1e1"} {
		if _, err := iisSpan(in); err == nil {
			t.Errorf("iisSpan(%q): no error", in)
		}
	}
}

// fuzzImport checks that no input panics, and that whatever imports is
// TOML a scenario file may be (its values may still be out of range: the
// command then reports them).
func fuzzImport(f *testing.F, seeds ...string) {
	for _, s := range seeds {
		data, err := os.ReadFile(filepath.Join("testdata", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Import([]string{"fuzz"}, [][]byte{data}, "")
		if err != nil {
			return
		}
		if _, err := tomlin.Parse("fuzz.toml", res.Text, "empty"); err != nil {
			t.Fatalf("imported scenario is not TOML: %v\n%s", err, res.Text)
		}
	})
}

func FuzzIIS(f *testing.F) {
	fuzzImport(f, "production-applicationHost.config", "iisexpress-applicationhost.config")
}
func FuzzPHPFPM(f *testing.F) { fuzzImport(f, "www.conf", "busy-pools.conf", "php-fpm.conf") }
func FuzzGunicorn(f *testing.F) {
	fuzzImport(f, "gunicorn.conf.py", "gunicorn.service", "gunicorn-computed.conf.py")
}

// TestIISAttributeAndNestedForms: a child element's attribute may also be
// written on <add> with a dotted name (processModel.idleTimeout), as
// appcmd and PowerShell name it; both forms set the same key, and the
// pool's own value wins over the defaults' in either form.
func TestIISAttributeAndNestedForms(t *testing.T) {
	for _, tt := range []struct{ name, add string }{
		{"nested", `<add name="p"><processModel idleTimeout="00:05:00"/><recycling><periodicRestart time="12:00:00"/></recycling></add>`},
		{"attribute", `<add name="p" processModel.idleTimeout="00:05:00" recycling.periodicRestart.time="12:00:00"/>`},
	} {
		cfg := `<configuration><system.applicationHost><applicationPools>` + tt.add +
			`<applicationPoolDefaults><processModel idleTimeout="01:00:00"/></applicationPoolDefaults>` +
			`</applicationPools></system.applicationHost></configuration>`
		res, err := Import([]string{tt.name + ".config"}, [][]byte{[]byte(cfg)}, "")
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenario.Decode("x.toml", res.Text)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Pool.IdleTimeout != scenario.Duration(5*engine.Minute) || sc.Pool.Recycle.Time != scenario.Duration(12*engine.Hour) {
			t.Errorf("%s: idle %v, recycle %v", tt.name, sc.Pool.IdleTimeout, sc.Pool.Recycle.Time)
		}
	}
}

// TestImportDebianPoolFile imports the php-fpm configuration that Debian's
// php8.2-fpm package installs (php-fpm.conf and pool.d/www.conf), when it
// is installed (validation/install.sh installs it): the package's own file
// imports, and its pool runs 5 children of one request each (the preset's
// reading of pm.max_children = 5).
func TestImportDebianPoolFile(t *testing.T) {
	files := []string{"/etc/php/8.2/fpm/php-fpm.conf", "/etc/php/8.2/fpm/pool.d/www.conf"}
	var datas [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Skipf("php8.2-fpm is not installed: %v", err)
		}
		datas = append(datas, data)
	}
	res, err := Import(files, datas, "")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Decode("www.toml", res.Text)
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Text)
	}
	if sc.Server != "php-fpm" || sc.Pool.Name != "www" || sc.PHPFPM.MaxChildren < 1 || sc.Pool.MaxProcesses != sc.PHPFPM.MaxChildren || sc.Pool.Threads != 1 {
		t.Errorf("server %s, pool %+v, php_fpm %+v", sc.Server, sc.Pool, sc.PHPFPM)
	}
	t.Logf("pm = %s, max_children = %d, %d settings warned", sc.PHPFPM.PM, sc.PHPFPM.MaxChildren, len(res.Warnings))
}

// TestGunicornReadsTheSame: for each gunicorn configuration of the tests,
// the settings poolsim imports equal what gunicorn itself reads from it
// (gunicorn --print-config, gunicorn 20.1 or later); a computed value,
// which gunicorn evaluates and poolsim does not, is left at gunicorn's
// default and warned. Skipped when gunicorn is not installed.
func TestGunicornReadsTheSame(t *testing.T) {
	bin, err := exec.LookPath("gunicorn")
	if err != nil {
		t.Skip("gunicorn is not installed (validation/install.sh installs it)")
	}
	for _, tt := range []struct {
		file     string
		args     []string
		computed []string
	}{
		{"gunicorn.conf.py", []string{"-c", "testdata/gunicorn.conf.py"}, nil},
		{"gunicorn-computed.conf.py", []string{"-c", "testdata/gunicorn-computed.conf.py"}, []string{"workers", "bind"}},
		{"gunicorn.service", []string{"--workers", "3", "--threads=4", "--timeout", "60", "--max-requests", "500", "--max-requests-jitter", "50", "--preload", "--bind", "unix:/run/gunicorn.sock"}, nil},
	} {
		t.Run(tt.file, func(t *testing.T) {
			// It prints the configuration, then exits 1 as it does not
			// load the application.
			out, _ := exec.Command(bin, append(append([]string{"--print-config"}, tt.args...), "nosuch:app")...).Output()
			printed := map[string]string{}
			for _, l := range strings.Split(string(out), "\n") {
				if k, v, ok := strings.Cut(l, "="); ok {
					printed[strings.TrimSpace(k)] = strings.TrimSpace(v)
				}
			}
			if printed["workers"] == "" {
				t.Skipf("gunicorn --print-config printed no configuration (gunicorn before 20.1?): %s", out)
			}
			res, err := importFiles(t, "", tt.file)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := scenario.Decode("g.toml", res.Text)
			if err != nil {
				t.Fatal(err)
			}
			g := sc.Gunicorn
			imported := map[string]string{
				"workers": fmt.Sprint(g.Workers), "threads": fmt.Sprint(g.Threads), "backlog": fmt.Sprint(g.Backlog),
				"timeout": fmt.Sprint(int(g.Timeout.T().Seconds())), "graceful_timeout": fmt.Sprint(int(g.GracefulTimeout.T().Seconds())),
				"max_requests": fmt.Sprint(g.MaxRequests), "max_requests_jitter": fmt.Sprint(g.MaxRequestsJitter),
				"bind": fmt.Sprintf("['%s']", g.Bind),
			}
			for k, v := range imported {
				computed := false
				for _, c := range tt.computed {
					computed = computed || c == k
				}
				switch {
				case computed && !strings.Contains(strings.Join(res.Warnings, "\n"), k+" = "):
					t.Errorf("%s is computed but not warned: %q", k, res.Warnings)
				case !computed && printed[k] != v:
					t.Errorf("%s: gunicorn reads %q, poolsim imports %q", k, printed[k], v)
				}
			}
		})
	}
}
