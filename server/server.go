package main

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
)

// Deps is everything the HTTP layer needs.
type Deps struct {
	Store   *models.Store
	Log     *slog.Logger
	BaseURL string
	// EmergencyAdmin: see casework.Config.
	EmergencyAdmin bool
	// RequestTimeout is every request's deadline, LongRequestTimeout that
	// of the routes in longRoutes (batch print, imports); zero takes the
	// defaults.
	RequestTimeout     time.Duration
	LongRequestTimeout time.Duration
	// TrustedProxies: addresses or CIDR prefixes (comma-separated) of the
	// reverse proxies whose X-Forwarded-For and X-Forwarded-Proto count;
	// empty trusts none (the peer is the client).
	TrustedProxies string
	// AccessKeys make and check the parties' access codes: the server
	// secret, from run() (tests: a random one). Required.
	AccessKeys *models.AccessKeys
	// Mailer sends electronic service (nil: none configured).
	Mailer casework.Mailer
	// TSAURL: see casework.Config.
	TSAURL string
	// MaxFileChecks bounds the uploaded copies checked at once on the
	// verify page (each holds up to casework.MaxCheckBytes in memory);
	// zero takes DefaultMaxFileChecks.
	MaxFileChecks int
	// Work is the case work the handlers call; nil builds one from the
	// fields above. run() builds it once and shares it with the background
	// completion of interrupted issues (one renderer per process).
	Work *casework.Service
	// checkHeld, when set (tests), runs when a file check has taken its
	// slot.
	checkHeld func()
}

// DefaultMaxFileChecks: uploaded copies checked at once (about 40-60 MB
// each at the 20 MB limit).
const DefaultMaxFileChecks = 4

// Default request deadlines.
const (
	DefaultRequestTimeout     = 30 * time.Second
	DefaultLongRequestTimeout = 2 * time.Minute
)

// Server holds the dependencies the handlers share: the case work they
// call, the logger, the metrics and the parsed pages.
type Server struct {
	work    *casework.Service
	log     *slog.Logger
	metrics *metrics
	pages   pages
	// deadlines of a request and of a long one
	requestTimeout, longTimeout time.Duration
	// proxies are the trusted reverse proxies.
	proxies []netip.Prefix
	// emergency: Deps.EmergencyAdmin (admins pass every role gate)
	emergency bool
	// checks holds a slot per file check in progress (Deps.MaxFileChecks).
	checks    chan struct{}
	checkHeld func() // Deps.checkHeld
}

// holds is the role gate: whether u holds one of roles (an admin holds
// every role under the emergency setting only).
func (s *Server) holds(u *models.User, roles []string) bool {
	return slices.ContainsFunc(roles, u.HasRole) || (s.emergency && u.HasRole(models.RoleAdmin))
}

// newWork builds the case work service of d.
func newWork(d Deps) (*casework.Service, error) {
	return casework.New(casework.Config{Store: d.Store, BaseURL: d.BaseURL, EmergencyAdmin: d.EmergencyAdmin, AccessKeys: d.AccessKeys, Mailer: d.Mailer,
		TSAURL: d.TSAURL})
}

// NewServer wires the routes and middleware and returns the handler.
func NewServer(d Deps) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	work := d.Work
	var err error
	if work == nil {
		if work, err = newWork(d); err != nil {
			return nil, err
		}
	}
	// Publication records for decisions issued while the service was down
	// or lost between an issue and its record (docs/publication.md).
	rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	if err := work.ReconcilePublications(rctx); err != nil && d.Log != nil {
		d.Log.Warn("reconcile publications at start-up", "err", err)
	}
	cancel()
	s := &Server{work: work, log: d.Log, requestTimeout: d.RequestTimeout, longTimeout: d.LongRequestTimeout, emergency: d.EmergencyAdmin}
	if s.requestTimeout <= 0 {
		s.requestTimeout = DefaultRequestTimeout
	}
	if s.longTimeout <= 0 {
		s.longTimeout = DefaultLongRequestTimeout
	}
	s.checks, s.checkHeld = make(chan struct{}, cmp.Or(max(d.MaxFileChecks, 0), DefaultMaxFileChecks)), d.checkHeld
	if s.metrics, err = newMetrics(d.Store); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	proxies, raw, err := parseProxies(d.TrustedProxies)
	if err != nil {
		return nil, err
	}
	s.proxies = proxies
	r := gin.New()
	if err := r.SetTrustedProxies(raw); err != nil { // nil: none
		return nil, err
	}
	r.HandleMethodNotAllowed = true
	r.Use(s.securityHeaders(), s.requestID(), s.recoverer(), s.accessLog(), s.metrics.middleware(), s.deadline())
	r.NoRoute(s.handleNotFound)
	r.NoMethod(s.handleMethodNotAllowed)
	s.routes(r)
	return r, nil
}
