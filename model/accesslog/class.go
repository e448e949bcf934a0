package accesslog

// AppendClassName appends the class name that poolsim gives a URL path, the
// rule that poolsim fit and trace clients share: lower case (IIS paths are
// case-insensitive), each run of characters other than a-z and 0-9 one
// '_', no '_' at either end, at most 60 bytes; "root" for "/". For
// example "/api/Orders.aspx" is "api_orders_aspx".
func AppendClassName(dst, path []byte) []byte {
	n := len(dst)
	sep := false
	for _, c := range path {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') {
			if sep && len(dst) > n {
				dst = append(dst, '_')
			}
			sep = false
			if len(dst)-n < 60 {
				dst = append(dst, c)
			}
			continue
		}
		sep = true
	}
	if len(dst) == n {
		dst = append(dst, "root"...)
	}
	return dst
}

// ClassName is AppendClassName as a string.
func ClassName(path string) string { return string(AppendClassName(nil, []byte(path))) }
