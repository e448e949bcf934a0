package accesslog

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// startNginx starts nginx on 127.0.0.1 with a configuration of its own
// that logs in the combined format with $request_time into
// dir/access.log, and waits until it answers at url. stop ends it with
// SIGINT; a cleanup kills it on every exit path. The test is skipped when
// nginx is not installed.
func startNginx(t *testing.T) (dir, url string, stop func()) {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, err := os.Stat("/usr/sbin/nginx"); err != nil {
			t.Skip("nginx is not installed (validation/install.sh installs it)")
		}
		bin = "/usr/sbin/nginx"
	}
	dir = t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 64; }
http {
	client_body_temp_path %[1]s; proxy_temp_path %[1]s; fastcgi_temp_path %[1]s; uwsgi_temp_path %[1]s; scgi_temp_path %[1]s;
	log_format timed '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time';
	access_log %[1]s/access.log timed;
	server {
		listen 127.0.0.1:%[2]d;
		location / { return 200 "ok\n"; }
		location /missing { return 404; }
	}
}
`, dir, port)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	stop = func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	url = fmt.Sprintf("http://127.0.0.1:%d", port)
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if resp, err := client.Get(url + "/warmup"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("nginx did not start within 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return dir, url, stop
}

// TestRealNginxLog reads the access log that a real nginx writes in the
// combined format with $request_time, the format poolsim fit documents for
// nginx: every request is a record, with its status, its path without the
// query, its request time, and its time converted to UTC within the test's
// span. It starts nginx (Debian's nginx or nginx-light, installed by
// validation/install.sh) on 127.0.0.1 with a configuration of its own,
// sends 50 requests, and stops it on every exit path; it is skipped when
// nginx is not installed.
func TestRealNginxLog(t *testing.T) {
	dir, url, stop := startNginx(t)
	client := &http.Client{Timeout: 2 * time.Second}
	before := time.Now().Add(-time.Second)
	const n = 50
	for i := 0; i < n; i++ {
		path := "/trend/data?tag=" + fmt.Sprint(i)
		if i%10 == 0 {
			path = "/missing"
		}
		resp, err := client.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	after := time.Now().Add(time.Second)
	stop() // nginx writes out its log as it exits

	f, err := os.Open(filepath.Join(dir, "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewReader("access.log", f, Options{})
	counts := map[string]int{}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !rec.HasTaken || rec.Taken < 0 || rec.Taken > time.Second || rec.Resolution != time.Millisecond {
			t.Errorf("line %d: request time %v (resolution %v)", rec.Line, rec.Taken, rec.Resolution)
		}
		if rec.End.Before(before.Truncate(time.Second)) || rec.End.After(after) {
			t.Errorf("line %d: time %v outside the test's span %v to %v", rec.Line, rec.End, before, after)
		}
		counts[fmt.Sprintf("%s %d", rec.Path, rec.Status)]++
	}
	if skipped, reasons := r.Skipped(); skipped != 0 || r.Format() != Combined {
		t.Errorf("format %v, skipped %d: %q", r.Format(), skipped, reasons)
	}
	if counts["/warmup 200"] < 1 || counts["/trend/data 200"] != n-n/10 || counts["/missing 404"] != n/10 {
		t.Errorf("records by path and status: %v", counts)
	}
}
