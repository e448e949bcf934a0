package accesslog

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

// BenchmarkReadW3C reads an IIS log with the default fields: the cost per
// line of poolsim fit's passes and of a trace client.
func BenchmarkReadW3C(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("#Fields: " + W3CFields + "\n")
	w := NewW3CWriter(&sb, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	const lines = 10000
	for i := 0; i < lines; i++ {
		w.Log(time.Duration(i)*100*time.Millisecond, i%500, "GET", "/trend/data.ashx", 200, 0, 41*time.Millisecond)
	}
	w.Flush()
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := NewReader("bench", bytes.NewReader(data), Options{})
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
