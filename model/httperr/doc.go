// Package httperr writes and parses HTTP.sys error logs (HTTPERR) in
// the W3C format IIS uses: the simulation logs every request that
// http.sys turns away or abandons, and the fitting and validation tools
// read such logs back.
package httperr
