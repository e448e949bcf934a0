package main

import (
	"fmt"
	"os"
	"time"

	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model"
)

func main() {
	data, _ := catalog.Scenario(os.Args[1])
	var ov []model.Override
	for _, a := range os.Args[2:] {
		o, err := model.ParseSet(a)
		if err != nil {
			panic(err)
		}
		ov = append(ov, o)
	}
	sc, err := model.Decode(os.Args[1], data, ov...)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for rep := uint64(0); rep < 3; rep++ {
		t := time.Now()
		r, err := model.Run(sc, model.Options{Replication: rep})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		m := r.Metrics
		fmt.Printf("%v arrivals=%v rate503=%.4f aband=%v crashes=%v recycles=%v trips=%v startkills=%v shutkills=%v events=%v resp=%.3f\n", time.Since(t).Round(time.Millisecond), m.Arrivals, m.Rate503, m.Abandoned, m.Crashes, m.Recycles, m.RapidFailTrips, m.StartupKills, m.ShutdownKills, m.Events, m.ResponseMeanS)
	}
}
