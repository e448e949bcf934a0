// Package fit turns request logs into the workload of a scenario (poolsim
// fit): classes from URL paths, each with a service-time distribution
// fitted by maximum likelihood and chosen by AIC, with a Kolmogorov–Smirnov
// figure of its goodness of fit; Poisson clients whose rate follows the
// logs' time-of-day profile, with a note when the counts are
// over-dispersed; and the [observed] table of what the logs recorded.
package fit
