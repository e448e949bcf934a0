package plots

import "testing"

func TestScratch(t *testing.T) {
	s, err := ReadTable("testdata/summary.csv")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Bars(s, "rate_503", "clients.trendpage.count")
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(p, "/tmp/plots", "bars"); err != nil {
		t.Fatal(err)
	}
	p, err = Bars(s, "rate_abandoned", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(p, "/tmp/plots", "bars2"); err != nil {
		t.Fatal(err)
	}
}
