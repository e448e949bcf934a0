package serverconf

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// iisValue is an attribute of a pool after IIS's merge of
// <applicationPoolDefaults> under the pool's <add>.
type iisValue struct {
	attr
	from string // "add" or "applicationPoolDefaults"
}

// iisKind is how an IIS attribute is read.
type iisKind int

const (
	kString iisKind = iota
	kInt
	kBool
	kBoolNot // the key is the negation (disallowOverlappingRotation → overlapping)
	kSpan
	kKB
	kLoadBalancer
	kBitness
)

// iisMapped lists the attributes poolsim models and the key each sets
// (docs: IIS configuration reference, applicationPools/add and children).
var iisMapped = map[string]mapping[iisKind]{
	"name":                                    {"pool.name", kString},
	"queueLength":                             {"pool.queue_length", kInt},
	"enable32BitAppOnWin64":                   {"pool.bitness", kBitness},
	"processModel.maxProcesses":               {"pool.max_processes", kInt},
	"processModel.pingingEnabled":             {"pool.ping.enabled", kBool},
	"processModel.pingInterval":               {"pool.ping.interval", kSpan},
	"processModel.pingResponseTime":           {"pool.ping.response_time", kSpan},
	"processModel.startupTimeLimit":           {"pool.startup_time_limit", kSpan},
	"processModel.shutdownTimeLimit":          {"pool.shutdown_time_limit", kSpan},
	"processModel.idleTimeout":                {"pool.idle_timeout", kSpan},
	"recycling.disallowOverlappingRotation":   {"pool.recycle.overlapping", kBoolNot},
	"recycling.periodicRestart.time":          {"pool.recycle.time", kSpan},
	"recycling.periodicRestart.requests":      {"pool.recycle.requests", kInt},
	"recycling.periodicRestart.memory":        {"pool.recycle.virtual_memory", kKB},
	"recycling.periodicRestart.privateMemory": {"pool.recycle.private_memory", kKB},
	"failure.rapidFailProtection":             {"pool.rapid_fail.enabled", kBool},
	"failure.rapidFailProtectionInterval":     {"pool.rapid_fail.interval", kSpan},
	"failure.rapidFailProtectionMaxCrashes":   {"pool.rapid_fail.max_crashes", kInt},
	"failure.loadBalancerCapabilities":        {"pool.load_balancer", kLoadBalancer},
}

// iisUnmodelled lists the IIS attributes poolsim knows and does not model,
// with why.
var iisUnmodelled = map[string]string{
	"autoStart":                                  "WAS starts the pool when IIS starts; poolsim's pool exists from time 0",
	"startMode":                                  "AlwaysRunning starts a worker before the first request; poolsim starts the first worker on demand (its requests wait startup_time)",
	"managedRuntimeVersion":                      "the CLR version does not change the pool's behaviour in poolsim",
	"managedPipelineMode":                        "the pipeline mode does not change the pool's behaviour in poolsim",
	"CLRConfigFile":                              "the CLR configuration is not modelled",
	"passAnonymousToken":                         "identity and authentication are not modelled",
	"managedRuntimeLoader":                       "the CLR loader is not modelled",
	"enableConfigurationOverride":                "configuration inheritance is not modelled",
	"processModel.identityType":                  "the worker's identity is not modelled",
	"processModel.userName":                      "the worker's identity is not modelled",
	"processModel.password":                      "the worker's identity is not modelled",
	"processModel.loadUserProfile":               "the user profile is not modelled",
	"processModel.setProfileEnvironment":         "the user profile is not modelled",
	"processModel.logonType":                     "the logon type is not modelled",
	"processModel.manualGroupMembership":         "the worker's identity is not modelled",
	"processModel.logEventOnProcessModel":        "event logging is not modelled (poolsim counts the WAS events itself)",
	"processModel.idleTimeoutAction":             "Suspend keeps the worker in memory; poolsim terminates it (Terminate)",
	"processModel.requestQueueDelegatorIdentity": "the worker's identity is not modelled",
	"recycling.disallowRotationOnConfigChange":   "a configuration change is an [events.NAME] action = \"config_change\", which recycles every worker; when IIS may not, leave it out",
	"recycling.logEventOnRecycle":                "event logging is not modelled (poolsim counts recycles by trigger)",
	"failure.autoShutdownExe":                    "the program run when rapid-fail protection stops the pool is not modelled",
	"failure.autoShutdownParams":                 "the program run when rapid-fail protection stops the pool is not modelled",
	"failure.orphanWorkerProcess":                "orphaning failed workers is not modelled: poolsim terminates them",
	"failure.orphanActionExe":                    "orphaning failed workers is not modelled",
	"failure.orphanActionParams":                 "orphaning failed workers is not modelled",
	"cpu.limit":                                  "CPU limits are not modelled",
	"cpu.action":                                 "CPU limits are not modelled",
	"cpu.resetInterval":                          "CPU limits are not modelled",
	"cpu.smpAffinitized":                         "processor affinity is not modelled",
	"cpu.smpProcessorAffinityMask":               "processor affinity is not modelled",
	"cpu.smpProcessorAffinityMask2":              "processor affinity is not modelled",
	"cpu.processorGroup":                         "processor groups are not modelled",
	"cpu.numaNodeAssignment":                     "NUMA placement is not modelled",
	"cpu.numaNodeAffinityMode":                   "NUMA placement is not modelled",
}

// importIIS reads applicationHost.config (IIS or IIS Express) and writes
// the pool named pool, or the only one.
func importIIS(file string, data []byte, pool string) (*Result, error) {
	root, err := parseXML(file, data)
	if err != nil {
		return nil, err
	}
	if root.name != "configuration" {
		return nil, fmt.Errorf("%s:%d: the root element is <%s>: not an IIS configuration (applicationHost.config starts with <configuration>)", file, root.line, root.name)
	}
	section, chosen, err := iisPool(file, root, pool)
	if err != nil {
		return nil, err
	}
	b := newBuilder(file)
	values := map[string]iisValue{}
	var order []string
	var schedule []iisValue
	collect := func(n *node, from string) {
		flattenIIS(b, n, "", from, values, &order, &schedule)
	}
	if d := section.child("applicationPoolDefaults"); d != nil {
		collect(d, "applicationPoolDefaults")
	}
	collect(chosen, "add")
	name := values["name"].value
	if strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("%s:%d: the pool has no name", file, chosen.line)
	}
	b.set("", "name", quote(name+" (imported)"), fmt.Sprintf("%s:%d: <add name>", file, chosen.line))
	b.set("", "server", quote("iis"), "applicationHost.config: IIS")
	for _, k := range order {
		v := values[k]
		source := fmt.Sprintf("%s:%d: %s %s=\"%s\"", file, v.line, v.from, k, v.value)
		if m, ok := iisMapped[k]; ok {
			if err := setIIS(b, m.key, m.kind, v, source); err != nil {
				return nil, err
			}
			continue
		}
		if why, ok := iisUnmodelled[k]; ok {
			b.warnf(v.line, "%s %s=\"%s\": not modelled: %s", v.from, k, v.value, why)
			continue
		}
		b.warnf(v.line, "%s %s=\"%s\": not an attribute IIS documents for application pools (misspelt?); ignored", v.from, k, v.value)
	}
	if len(schedule) > 0 {
		vals := make([]string, len(schedule))
		for i, s := range schedule {
			t, err := iisSpan(s.value)
			if err != nil || t >= scenario.Duration(24*engine.Hour) {
				return nil, fmt.Errorf("%s:%d: recycling periodicRestart schedule value=%q: want a time of day hh:mm:ss", file, s.line, s.value)
			}
			vals[i] = quote(scenario.TimeOfDay(t).String())
		}
		b.set("pool.recycle", "schedule", "["+strings.Join(vals, ", ")+"]",
			fmt.Sprintf("%s:%d: recycling periodicRestart schedule <add value>", file, schedule[0].line))
	}
	b.sortWarnings() // defaults and the pool's <add> interleave
	return &Result{Server: "iis", Pool: name, Warnings: b.warnings,
		Text: b.text(fmt.Sprintf("Imported by poolsim import from %s, application pool %q.\nEach value comes from the attribute named in its comment (applicationPoolDefaults merged under\nthe pool's <add>, as IIS does); what the file leaves out keeps poolsim's default, which is IIS's.", file, name))}, nil
}

// iisPool finds the <applicationPools> section and the pool's <add>: the
// one named pool (case-insensitively, as IIS compares), or the only one.
func iisPool(file string, root *node, pool string) (section, chosen *node, err error) {
	if s := root.child("system.applicationHost"); s != nil {
		section = s.child("applicationPools")
	}
	if section == nil {
		return nil, nil, fmt.Errorf("%s:%d: no <system.applicationHost><applicationPools> section: pools are configured in applicationHost.config (a site's web.config has none)", file, root.line)
	}
	var adds []*node
	var names []string
	for _, c := range section.children {
		if c.name == "add" {
			a, _ := c.attr("name")
			adds = append(adds, c)
			names = append(names, a.value)
		}
	}
	switch {
	case len(adds) == 0:
		return nil, nil, fmt.Errorf("%s:%d: <applicationPools> has no pool (<add name=\"...\">)", file, section.line)
	case pool != "":
		for i, n := range names {
			if strings.EqualFold(n, pool) {
				return section, adds[i], nil
			}
		}
		return nil, nil, fmt.Errorf("%s: no pool named %q (pools: %s)", file, pool, strings.Join(names, ", "))
	case len(adds) == 1:
		return section, adds[0], nil
	}
	return nil, nil, &PoolsError{File: file, Pools: names}
}

// flattenIIS records n's attributes as dotted names ("processModel.idleTimeout"),
// later calls overriding earlier ones, and the schedule collection with
// IIS's <add>, <remove> and <clear/>.
func flattenIIS(b *builder, n *node, prefix, from string, values map[string]iisValue, order *[]string, schedule *[]iisValue) {
	for _, a := range n.attrs {
		k := prefix + a.name
		if _, seen := values[k]; !seen {
			*order = append(*order, k)
		}
		values[k] = iisValue{a, from}
	}
	for _, c := range n.children {
		switch {
		case prefix+c.name == "recycling.periodicRestart.schedule":
			for _, e := range c.children {
				v, _ := e.attr("value")
				switch e.name {
				case "clear":
					*schedule = nil
				case "add":
					*schedule = append(*schedule, iisValue{attr{"value", v.value, e.line}, from})
				case "remove":
					kept := (*schedule)[:0]
					for _, s := range *schedule {
						if s.value != v.value {
							kept = append(kept, s)
						}
					}
					*schedule = kept
				}
			}
		case c.name == "environmentVariables":
			b.warnf(c.line, "%s <environmentVariables>: not modelled: the workers' environment does not change the pool's behaviour in poolsim", from)
		default:
			flattenIIS(b, c, prefix+c.name+".", from, values, order, schedule)
		}
	}
}

func setIIS(b *builder, key string, kind iisKind, v iisValue, source string) error {
	table, name := key[:strings.LastIndex(key, ".")], key[strings.LastIndex(key, ".")+1:]
	bad := func(want string) error {
		return fmt.Errorf("%s:%d: %s %s: want %s", b.file, v.line, v.from, strings.TrimPrefix(source, fmt.Sprintf("%s:%d: %s ", b.file, v.line, v.from)), want)
	}
	switch kind {
	case kString:
		b.set(table, name, quote(v.value), source)
	case kInt:
		n, err := strconv.ParseInt(strings.TrimSpace(v.value), 10, 64)
		if err != nil || n < 0 {
			return bad("a whole number")
		}
		if key == "pool.max_processes" && n == 0 {
			b.warnf(v.line, "%s processModel.maxProcesses=\"0\": one worker per NUMA node; poolsim imports 1", v.from)
			n = 1
		}
		b.set(table, name, strconv.FormatInt(n, 10), source)
	case kBool, kBoolNot:
		t, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v.value)))
		if err != nil {
			return bad("true or false")
		}
		b.set(table, name, strconv.FormatBool(t != (kind == kBoolNot)), source)
	case kSpan:
		d, err := iisSpan(v.value)
		if err != nil {
			return bad("a time span such as 00:20:00 or 1.05:00:00")
		}
		b.set(table, name, quote(d.String()), source)
	case kKB:
		n, err := strconv.ParseInt(strings.TrimSpace(v.value), 10, 64)
		if err != nil || n < 0 {
			return bad("a size in KB")
		}
		b.set(table, name, quote(scenario.Size(n<<10).String()), source+" (KB)")
	case kLoadBalancer:
		switch strings.ToLower(v.value) {
		case "httplevel":
			b.set(table, name, quote("http"), source)
		case "tcplevel":
			b.set(table, name, quote("tcp"), source)
		default:
			return bad("HttpLevel or TcpLevel")
		}
	case kBitness:
		t, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v.value)))
		if err != nil {
			return bad("true or false")
		}
		if !t {
			b.set(table, name, "64", source)
			break
		}
		// A 32-bit w3wp.exe on 64-bit Windows runs under WOW64 and is
		// large-address aware: 4 GB of address space, not the 2 GB of
		// pool.bitness = 32 (a 32-bit Windows). docs/model.md, "Allocations
		// and address space".
		b.set("pool.memory", "address_space", quote("4GB"), source+" (a 32-bit w3wp.exe on 64-bit Windows: 4GB)")
	}
	return nil
}

// iisSpan parses an IIS time span: [d.]hh:mm:ss[.fraction].
func iisSpan(s string) (scenario.Duration, error) {
	s = strings.TrimSpace(s)
	days := int64(0)
	if i := strings.IndexByte(s, '.'); i >= 0 && i < strings.IndexByte(s+":", ':') {
		d, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil || d < 0 || d > 10675 {
			return 0, fmt.Errorf("bad days")
		}
		days, s = d, s[i+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("want hh:mm:ss")
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec >= 60 || strings.ContainsAny(parts[2], "eE+-") {
		return 0, fmt.Errorf("want hh:mm:ss")
	}
	d := time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(sec*1e9+0.5)
	return scenario.Duration(engine.FromDuration(d)), nil
}
