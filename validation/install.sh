#!/bin/sh
# Installs the servers the validation suite drives, from Debian, when they
# are missing: nginx, php8.2-fpm (with php8.2-cli for posix_kill) and
# gunicorn. Services are not started: a policy-rc.d that forbids it is put
# in place for the install only, and the suite starts its own instances.
set -eu
need=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need="$need nginx-light"
[ -x /usr/sbin/php-fpm8.2 ] || need="$need php8.2-fpm"
[ -x /usr/bin/gunicorn ] || need="$need gunicorn"
[ -z "$need" ] && exit 0
echo "install.sh: installing$need" >&2
prc=/usr/sbin/policy-rc.d

if [ ! -e "$prc" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$prc" && chmod +x "$prc"
	trap 'rm -f "$prc"' EXIT INT TERM
fi
if [ ! -e /var/lib/apt/lists/lock ] || [ -z "$(ls /var/lib/apt/lists/*Packages* 2>/dev/null)" ]; then
	apt-get update -qq
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >&2 || {
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >&2
}

