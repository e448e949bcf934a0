// Package queueing holds the exact results of queueing theory (Erlang B
// and C, the M/M/c waiting time, M/M/c/K) that the simulator is checked
// against and that a capacity study draws beside a simulation.
package queueing
