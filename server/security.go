package main

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy: our own scripts, styles and images only (no
// inline script or style), no plugins, no framing by anyone, forms post
// only here.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// securityHeaders go on every answer: pages, JSON, PDFs, errors and 404s.
func (s *Server) securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.secureRequest(c) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		c.Next()
	}
}

// parseProxies reads the trusted proxies: addresses or CIDR prefixes,
// comma-separated (PENALTYDOC_TRUSTED_PROXIES). Only a request from one of
// them may say, in X-Forwarded-For / X-Real-IP and X-Forwarded-Proto, who
// the client is and that it came over HTTPS.
func parseProxies(list string) ([]netip.Prefix, []string, error) {
	var prefixes []netip.Prefix
	var raw []string
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		var p netip.Prefix
		if strings.Contains(f, "/") {
			var err error
			if p, err = netip.ParsePrefix(f); err != nil {
				return nil, nil, fmt.Errorf("trusted proxy %q: %w", f, err)
			}
		} else {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, nil, fmt.Errorf("trusted proxy %q: want an address or a CIDR prefix", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		prefixes = append(prefixes, p.Masked())
		raw = append(raw, p.Masked().String())
	}
	return prefixes, raw, nil
}

// fromProxy reports whether the request's peer is a trusted proxy.
func (s *Server) fromProxy(c *gin.Context) bool {
	if len(s.proxies) == 0 {
		return false
	}
	a, err := netip.ParseAddr(c.RemoteIP())
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// secureRequest reports whether the client's request came over HTTPS: TLS
// here, or a trusted proxy saying X-Forwarded-Proto: https (a header
// anyone else sends counts for nothing). Cookies are Secure then, and
// HSTS is sent.
func (s *Server) secureRequest(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	return s.fromProxy(c) && strings.EqualFold(strings.TrimSpace(c.GetHeader("X-Forwarded-Proto")), "https")
}
