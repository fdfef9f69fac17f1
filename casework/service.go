// Package casework is the path of a case, with no HTTP: evaluating facts,
// filing and editing cases, drafting documents, the review workflow,
// issuing, service, statements, corrections, templates, the catalogue and
// printing. Each step is a method of Service that takes the context and
// the actor; the JSON API, the staff pages and the public pages all call
// the same methods. The law comes from rules, the layout from render and
// every transaction from models.
package casework

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// Actor is who acts: the user, the roles they hold, the authority they
// belong to, the authorities whose data they see (Scope), and the address
// they act from.
type Actor struct {
	UserID      uint
	Username    string
	Roles       []string
	AuthorityID *uint
	Scope       models.Scope
	IP          string
	emergency   bool // set by the service from its configuration
}

// ActorOf is the actor of a signed-in user.
func ActorOf(u *models.User, ip string) Actor {
	return Actor{UserID: u.ID, Username: u.Username, Roles: u.RoleList(), AuthorityID: u.AuthorityID, Scope: u.Scope(), IP: ip}
}

// Home is the authority the actor works for by default: their own, else
// the first they serve; 0 for the deployment's admins.
func (a Actor) Home() uint {
	if a.AuthorityID != nil {
		return *a.AuthorityID
	}
	if len(a.Scope.Authorities) > 0 {
		return a.Scope.Authorities[0]
	}
	return 0
}

// Deployment reports whether the actor sees the whole deployment.
func (a Actor) Deployment() bool { return a.Scope.All }

// ActorOf is the actor of a signed-in user under this service's settings
// (the emergency setting reaches admins only).
func (s *Service) ActorOf(u *models.User, ip string) Actor {
	a := ActorOf(u, ip)
	a.emergency = s.emergency && u.HasRole(rules.RoleAdmin)
	return a
}

// Public is the actor of an anonymous request (a party's download).
func Public(ip string) Actor { return Actor{Username: "public", IP: ip} }

// Has reports whether the actor holds role (admin holds every role).
func (a Actor) Has(role string) bool { return a.staff().Has(role) }

func (a Actor) record() models.Actor {
	return models.Actor{UserID: a.UserID, Username: a.Username, Roles: a.Roles, IP: a.IP, Emergency: a.emergency, Scope: a.Scope}
}

func (a Actor) staff() rules.Staff {
	return rules.Staff{ID: a.UserID, Roles: a.Roles, Emergency: a.emergency}
}

// Config is what a Service is built from.
type Config struct {
	Store *models.Store
	// Renderer renders the documents; nil makes one (render.New).
	Renderer *render.Renderer
	// BaseURL is the service's public address, printed on documents (the
	// verify QR code, the download page).
	BaseURL string
	// EmergencyAdmin lets admins override the separation of duties (the
	// drafter, the legal reviewer and the approver are three people); every
	// such step is audited. Off unless an emergency requires it.
	EmergencyAdmin bool
	// AccessKeys make and check the parties' access codes (keyed by the
	// server secret, which the database does not hold); required.
	AccessKeys *models.AccessKeys
	// Mailer sends electronic service (nil: none configured).
	Mailer Mailer
	// TSAURL is an RFC 3161 timestamp authority whose token every
	// signature carries ("": none; docs/signing.md).
	TSAURL string
}

// Service is the case work.
type Service struct {
	store     *models.Store
	renderer  *render.Renderer
	baseURL   string
	emergency bool
	codes     *models.AccessKeys
	mailer    Mailer
	tsaURL    string
	signers   signers  // the authorities' opened signing keys (signing.go)
	templates sync.Map // templateKey → *render.Template; a version never changes
	// beforeIssue, when set (tests), runs between Issue's reads and its
	// transaction.
	beforeIssue func()
	// digests caches each scope's start-page digest for digestTTL: it runs
	// every check over the office's cases in progress.
	digests sync.Map // digestKey → digestEntry
}

// New builds the service; it fails when the fonts do not load.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("casework: no store")
	}
	if cfg.AccessKeys == nil {
		return nil, fmt.Errorf("casework: no access code keys (the server secret)")
	}
	s := &Service{store: cfg.Store, renderer: cfg.Renderer, baseURL: strings.TrimRight(cfg.BaseURL, "/"), emergency: cfg.EmergencyAdmin,
		codes: cfg.AccessKeys, mailer: cfg.Mailer, tsaURL: cfg.TSAURL}
	if s.renderer == nil {
		r, err := render.New()
		if err != nil {
			return nil, err
		}
		s.renderer = r
	}
	return s, nil
}

// Today is the current date in China (the store's clock).
func (s *Service) Today() string { return s.store.Today() }

// PublicURL is an address on the service as parties reach it.
func (s *Service) PublicURL(path string) string { return s.baseURL + path }

// DownloadURL is the party's download page.
func (s *Service) DownloadURL() string { return s.PublicURL("/public/download") }

func (s *Service) verifyURL(d *models.Document) string {
	if d.VerifyToken == nil || *d.VerifyToken == "" {
		return ""
	}
	return s.PublicURL("/verify/" + *d.VerifyToken)
}

// Ping checks that the database answers.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// Health is the database's state (see models.Store.Health).
func (s *Service) Health(ctx context.Context) models.Health { return s.store.Health(ctx) }
