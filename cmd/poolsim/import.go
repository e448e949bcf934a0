package main

func runImport(c *cli, args []string) int { return c.errorf("import: not yet") }
