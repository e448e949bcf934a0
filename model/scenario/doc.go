// Package scenario is poolsim's scenario contract (DESIGN.md §3): the
// scenario types, their TOML decoding with positioned errors and
// suggestions, validation, units (durations, sizes, times of day,
// bandwidths), distributions and their samplers, --set overrides, server
// presets (php-fpm, gunicorn, uWSGI), defaults, the assumptions in
// effect, and TOML writing. It knows nothing of the simulation (package
// model), which takes a *Scenario and runs it.
package scenario
