package main

const importUsage = `poolsim import CONFIG [flags]`

func runImport(c *cli, args []string) int {
	f := newFlagSet("import", importUsage)
	_, status, stop := f.parse(c, args)
	if stop {
		return status
	}
	return c.errorf("import: not yet")
}
