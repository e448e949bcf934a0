#!/usr/bin/env bash
# report-browser.sh reads poolsim's reports as a reader would: it renders
# report.html in headless Chromium and fails unless each page loads with no
# console message and no network request, shows every chart (laid out, with
# its labels drawn), and prints to a PDF of at least two pages.
#
# Usage:
#
#	.ci/report-browser.sh [--screenshot FILE.png] [REPORT.html...]
#
# With no report named, it checks three: the sweep report of the shipped
# experiment (poolsim sweep recycle-strategies --report), a run's report
# (poolsim run trend-page --plot), and the committed example
# docs/examples/recycle-strategies/report.html. --screenshot also writes a
# PNG of the first page's top, as the README's gallery shows it.
#
# Chromium comes from Debian's package, installed with apt-get when missing
# (as root, or with password-less sudo); where it cannot be installed the
# check is skipped with a message saying so. Chromium resolves no host name
# (--host-resolver-rules), so nothing leaves the machine; its own
# background requests (updates, accounts) are told apart from the page's by
# their isolation key, and so are not counted. About 40 s on two cores, most
# of it the sweep.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shot=""
pages=()
while [ $# -gt 0 ]; do
	case "$1" in
	--screenshot)
		shot="$(realpath -m "$2")"
		shift 2
		;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*)
		pages+=("$(realpath "$1")")
		shift
		;;
	esac
done

find_chromium() {
	local c
	for c in chromium chromium-browser; do
		if command -v "$c" >/dev/null 2>&1; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

if ! chromium="$(find_chromium)"; then
	sudo=()
	if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo=(sudo -n)
	fi
	if ! command -v apt-get >/dev/null || { [ "$(id -u)" -ne 0 ] && [ ${#sudo[@]} -eq 0 ]; }; then
		echo "SKIP report-browser: chromium is missing and cannot be installed here (needs apt-get as root); install Debian's chromium package to run this check"
		exit 0
	fi
	echo "== installing chromium (Debian package)"
	log="$(mktemp)"
	if ! { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends chromium; } >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		rm -f "$log"
		echo "SKIP report-browser: apt-get could not install chromium (see above)"
		exit 0
	fi
	rm -f "$log"
	chromium="$(find_chromium)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ${#pages[@]} -eq 0 ]; then
	echo "== building poolsim and writing the reports"
	(cd "$root" && go build -o "$work/poolsim" ./cmd/poolsim)
	"$work/poolsim" sweep recycle-strategies -o "$work/sweep" -q --report >/dev/null
	"$work/poolsim" run trend-page --plot "$work/run" >/dev/null 2>&1
	pages=("$work/sweep/report.html" "$work/run/report.html" "$root/docs/examples/recycle-strategies/report.html")
fi

# Flags of every Chromium start: headless, a throw-away profile, no
# background services, and no host name resolves.
browse=("$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars
	--user-data-dir="$work/profile" --no-first-run --no-default-browser-check
	--disable-background-networking --disable-component-update --disable-sync
	--disable-default-apps --disable-extensions --disable-domain-reliability
	--host-resolver-rules="MAP * ~NOTFOUND")

# The probe loads the report in a frame and writes what it finds into its
# own DOM, which --dump-dom prints.
cat >"$work/probe.js" <<'JS'
function probe(frame) {
  const out = [];
  const d = frame.contentDocument;
  if (!d || !d.body) { return "FAIL the report could not be read"; }
  const figs = d.querySelectorAll("figure");
  const svgs = d.querySelectorAll("figure svg");
  out.push("charts " + svgs.length);
  if (svgs.length === 0) out.push("FAIL no chart");
  if (svgs.length !== figs.length) out.push("FAIL " + figs.length + " figures but " + svgs.length + " charts");
  svgs.forEach((s, i) => {
    const r = s.getBoundingClientRect();
    const cs = d.defaultView.getComputedStyle(s);
    if (r.width < 300 || r.height < 150 || cs.display === "none" || cs.visibility === "hidden" || cs.opacity === "0") {
      out.push("FAIL chart " + (i + 1) + " is not visible (" + Math.round(r.width) + "x" + Math.round(r.height) + ")");
    }
    let drawn = 0;
    s.querySelectorAll("text").forEach(t => { if (t.getBBox().width > 0) drawn++; });
    if (drawn < 5) out.push("FAIL chart " + (i + 1) + " draws " + drawn + " labels");
    if (s.querySelectorAll("path").length < 5) out.push("FAIL chart " + (i + 1) + " draws almost nothing");
    const cap = figs[i] && figs[i].querySelector("figcaption");
    if (!cap || cap.textContent.trim().length < 20) out.push("FAIL chart " + (i + 1) + " has no caption");
  });
  for (const id of ["answer", "scenario", "reproduce"]) {
    if (!d.getElementById(id)) out.push("FAIL no #" + id + " section");
  }
  const fetched = d.defaultView.performance.getEntriesByType("resource").map(e => e.name);
  if (fetched.length) out.push("FAIL the page fetched " + fetched.join(" "));
  return out.join("\n");
}
JS

failed=0
n=0
for page in "${pages[@]}"; do
	n=$((n + 1))
	name="${page#"$root"/}"
	cat >"$work/probe-$n.html" <<HTML
<!DOCTYPE html><html><body>
<iframe id="r" src="file://$page" style="width:1200px;height:4000px;border:0"></iframe>
<script src="probe.js"></script>
<script>
document.getElementById("r").addEventListener("load", e => {
  const pre = document.createElement("pre");
  pre.id = "result";
  pre.textContent = probe(e.target);
  document.body.appendChild(pre);
});
</script>
</body></html>
HTML
	# On a loaded machine the frame may not have loaded when the DOM is
	# dumped: try again, up to three times.
	for attempt in 1 2 3; do
		"${browse[@]}" --allow-file-access-from-files --enable-logging=stderr --v=0 \
			--log-net-log="$work/net-$n.json" --virtual-time-budget=10000 \
			--dump-dom "file://$work/probe-$n.html" >"$work/dom-$n.html" 2>"$work/log-$n.txt" || true
		if grep -q '<pre id="result">' "$work/dom-$n.html"; then
			break
		fi
	done
	result="$(python3 - "$work/dom-$n.html" "$work/log-$n.txt" "$work/net-$n.json" "$page" <<'PY'
import html, json, re, sys
dom, log, net, page = sys.argv[1:]
out = []
m = re.search(r'<pre id="result">(.*?)</pre>', open(dom, encoding="utf-8").read(), re.S)
out += html.unescape(m.group(1)).splitlines() if m else ["FAIL the probe did not finish (the page did not load)"]
for line in open(log, encoding="utf-8", errors="replace"):
    if ":CONSOLE" in line:
        out.append("FAIL console: " + line.split("] ", 1)[-1].strip())
try:
    d = json.load(open(net))
except ValueError:  # the log of a browser that ended at once has no closing bracket
    text = open(net).read().rstrip().rstrip(",")
    d = json.loads(text + "]}")
types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
for e in d["events"]:
    p = e.get("params", {})
    if types.get(e["type"]) == "URL_REQUEST_START_JOB" and "file://" in p.get("network_isolation_key", ""):
        out.append("FAIL network request: " + p.get("method", "") + " " + p.get("url", ""))
print("\n".join(out))
PY
)"
	"${browse[@]}" --no-pdf-header-footer --print-to-pdf="$work/page-$n.pdf" "file://$page" >/dev/null 2>&1 || true
	pdf="$work/page-$n.pdf"
	if [ ! -s "$pdf" ] || [ "$(head -c 5 "$pdf")" != "%PDF-" ]; then
		result+=$'\n'"FAIL printing to PDF wrote nothing"
	else
		pagecount="$(grep -ac '/Type /Page[^s]' "$pdf" || true)"
		if command -v pdfinfo >/dev/null; then
			pagecount="$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')"
		fi
		if [ "${pagecount:-0}" -lt 2 ]; then
			result+=$'\n'"FAIL the PDF has ${pagecount:-0} pages, want at least 2"
		fi
		result+=$'\n'"pdf $(wc -c <"$pdf") bytes, $pagecount pages"
	fi
	if grep -q '^FAIL' <<<"$result"; then
		echo "FAIL $name" >&2
		grep '^FAIL' <<<"$result" | sed 's/^/  /' >&2
		failed=1
	else
		echo "ok   $name ($(grep -h '^charts\|^pdf' <<<"$result" | paste -sd, -))"
	fi
done

if [ -n "$shot" ]; then
	"${browse[@]}" --window-size=1100,1500 --screenshot="$shot" "file://${pages[0]}" >/dev/null 2>&1
	echo "wrote $shot"
fi
exit "$failed"
