package scenario

// warnPHPFPM says which [php_fpm] settings the file writes that change
// nothing: php-fpm reads them only with another setting (docs/model.md,
// "php-fpm").
func (d *scenarioDecoder) warnPHPFPM(f *PHPFPM) {
	k := func(n string) []string { return []string{"php_fpm", n} }
	written := func(n string) bool { return d.raw != nil && d.given(k(n)) }
	for _, n := range []string{"start_servers", "min_spare_servers", "max_spare_servers"} {
		if written(n) && f.PM != "dynamic" {
			d.warnf(k(n), d.written[keyString(k(n))], "has no effect with pm = %q: php-fpm reads it for pm = \"dynamic\" only", f.PM)
		}
	}
	if written("process_idle_timeout") && f.PM != "ondemand" {
		d.warnf(k("process_idle_timeout"), d.written[keyString(k("process_idle_timeout"))], "has no effect with pm = %q: php-fpm reads it for pm = \"ondemand\" only", f.PM)
	}
	// One written without the other: a 0 written beside it is an explicit
	// "off", said nothing of.
	threshold, interval := f.EmergencyRestartThreshold > 0, f.EmergencyRestartInterval > 0
	if written("emergency_restart_threshold") && threshold && !written("emergency_restart_interval") {
		d.warnf(k("emergency_restart_threshold"), d.written[keyString(k("emergency_restart_threshold"))], "has no effect without emergency_restart_interval: php-fpm's emergency restart needs both")
	}
	if written("emergency_restart_interval") && interval && !written("emergency_restart_threshold") {
		d.warnf(k("emergency_restart_interval"), d.written[keyString(k("emergency_restart_interval"))], "has no effect without emergency_restart_threshold: php-fpm's emergency restart needs both")
	}
}
