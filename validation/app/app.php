<?php
// The validation suite's PHP application: it does what the query says.
//   s=N      hold the child N microseconds (a sleep; resumed if a signal cuts
//            it short, so the hold is the requested one, as real work would be)
//   hang=1   never finish (until php-fpm's request_terminate_timeout kills it)
//   alloc=M  allocate M MiB before answering
//   crash=K  after the hold, kill this child with signal K (9 SIGKILL, 11 SIGSEGV)
// It answers 200 with X-Hold-Us (the hold it measured), X-Overrun-Us (the
// hold beyond the request: the scheduler's overrun), X-Start-Us (when the
// script started, Unix microseconds: the load generator's clock) and X-Pid.
$t0 = hrtime(true);
$startUs = (int)round(microtime(true) * 1e6);
$s = isset($_GET['s']) ? (int)$_GET['s'] : 0;
if (isset($_GET['hang'])) {
	for (;;) {
		usleep(1000000);
	}
}
$end = $t0 + $s * 1000;
for (;;) {
	$left = intdiv($end - hrtime(true), 1000);
	if ($left <= 0) {
		break;
	}
	usleep($left);
}
if (isset($_GET['alloc'])) {
	$buf = str_repeat('x', (int)$_GET['alloc'] * 1048576);
}
$held = intdiv(hrtime(true) - $t0, 1000);
if (isset($_GET['crash'])) {
	posix_kill(getmypid(), (int)$_GET['crash']);
	usleep(1000000); // the signal is asynchronous: never answer
}
header('X-Hold-Us: ' . $held);
header('X-Overrun-Us: ' . ($held - $s));
header('X-Start-Us: ' . $startUs);
header('X-Pid: ' . getmypid());
echo "ok\n";
