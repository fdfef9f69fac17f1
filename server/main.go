// Command server runs penaltydoc: the HTTP API, the web pages and the
// document pipeline, on SQLite by default or on MySQL/MariaDB.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"penaltydoc/casework"
	"penaltydoc/models"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "penaltydoc: %v\n", err)
		os.Exit(1)
	}
}

// Config is the service's configuration, from the environment and flags.
type Config struct {
	Addr          string
	DB            string
	AdminPassword string
	BaseURL       string
	// MemoryLimit is the process's soft memory limit (debug.SetMemoryLimit):
	// the garbage collector works harder as the heap nears it.
	MemoryLimit string
	// EmergencyAdmin lets admins override the separation of duties, each
	// step audited: for an emergency only.
	EmergencyAdmin bool
	// CheckAudit verifies the audit chain and exits (no HTTP server);
	// AuditAnchors are heads recorded earlier ("SEQ:HASH,…") it must hold.
	CheckAudit   bool
	AuditAnchors string
	// QueryTimeout bounds every database statement; RequestTimeout every
	// request, LongRequestTimeout the long ones (batch print, imports).
	QueryTimeout       time.Duration
	RequestTimeout     time.Duration
	LongRequestTimeout time.Duration
	// TrustedProxies: see Deps.TrustedProxies.
	TrustedProxies string
	// Secret is where the server secret that keys the access codes comes
	// from, SecretPrevious the one it replaced (accessKeys in secret.go).
	// The values come from the environment only, never from flags, which
	// any user of the host can read.
	Secret, SecretPrevious secretSource
	// SMTP is the mail server of electronic service (PENALTYDOC_SMTP_*);
	// no host: none.
	SMTP casework.SMTPConfig
	// Blobs is where issued PDFs are kept: db (default) or dir:PATH.
	Blobs string
	// TSAURL is the RFC 3161 timestamp authority signatures carry ("": none).
	TSAURL string
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	def := func(key, fallback string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return fallback
	}
	var cfg Config
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", def("PENALTYDOC_ADDR", ":8080"), "listen address (PENALTYDOC_ADDR)")
	fs.StringVar(&cfg.DB, "db", def("PENALTYDOC_DB", "sqlite:data/penaltydoc.db"), "database: sqlite:PATH or mysql:DSN (PENALTYDOC_DB)")
	fs.StringVar(&cfg.AdminPassword, "admin-password", getenv("PENALTYDOC_ADMIN_PASSWORD"), "password of the admin user created on first start (PENALTYDOC_ADMIN_PASSWORD)")
	fs.StringVar(&cfg.BaseURL, "base-url", def("PENALTYDOC_BASE_URL", "http://localhost:8080"), "public URL printed on documents (PENALTYDOC_BASE_URL)")
	fs.StringVar(&cfg.MemoryLimit, "memory-limit", def("PENALTYDOC_MEMORY_LIMIT", "1GiB"), "soft memory limit of the process, e.g. 512MiB or 2GiB; off for none (PENALTYDOC_MEMORY_LIMIT)")
	fs.BoolVar(&cfg.EmergencyAdmin, "emergency-admin", getenv("PENALTYDOC_EMERGENCY_ADMIN") == "1",
		"let admins override the separation of duties, every such step audited; for emergencies only (PENALTYDOC_EMERGENCY_ADMIN=1)")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", getenv("PENALTYDOC_TRUSTED_PROXIES"),
		"reverse proxies (addresses or CIDR prefixes, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed; none by default (PENALTYDOC_TRUSTED_PROXIES)")
	cfg.Secret.Value, cfg.SecretPrevious.Value = getenv("PENALTYDOC_SECRET"), getenv("PENALTYDOC_SECRET_PREVIOUS")
	fs.StringVar(&cfg.Secret.File, "secret-file", getenv("PENALTYDOC_SECRET_FILE"),
		"file holding the server secret that keys the access codes (or its value in PENALTYDOC_SECRET); default on SQLite: secret.key beside the database, created at first start (PENALTYDOC_SECRET_FILE)")
	fs.StringVar(&cfg.SecretPrevious.File, "secret-previous-file", getenv("PENALTYDOC_SECRET_PREVIOUS_FILE"),
		"file holding the secret before the current one, so that the codes issued under it still verify (or its value in PENALTYDOC_SECRET_PREVIOUS) (PENALTYDOC_SECRET_PREVIOUS_FILE)")
	fs.StringVar(&cfg.TSAURL, "tsa-url", getenv("PENALTYDOC_TSA_URL"),
		"RFC 3161 timestamp authority whose token every document signature carries; none by default, and then the same document signs to the same bytes (PENALTYDOC_TSA_URL)")
	fs.StringVar(&cfg.Blobs, "blobs", def("PENALTYDOC_BLOBS", "db"), "where issued PDFs are kept: db (in the database) or dir:PATH (files named by their SHA-256, fsync'd) (PENALTYDOC_BLOBS)")
	fs.BoolVar(&cfg.CheckAudit, "check-audit", false, "verify the audit log's hash chain, print the result and exit (non-zero when broken); starts no server")
	fs.StringVar(&cfg.AuditAnchors, "audit-anchor", "", "with -check-audit: heads printed by earlier checks (SEQ:HASH, comma-separated) the chain must still hold")
	for _, d := range []struct {
		v         *time.Duration
		flag, env string
		def       time.Duration
		usage     string
	}{
		{&cfg.QueryTimeout, "query-timeout", "PENALTYDOC_QUERY_TIMEOUT", models.DefaultQueryTimeout, "deadline of every database statement, and SQLite's wait for the write lock"},
		{&cfg.RequestTimeout, "request-timeout", "PENALTYDOC_REQUEST_TIMEOUT", DefaultRequestTimeout, "deadline of every request"},
		{&cfg.LongRequestTimeout, "long-request-timeout", "PENALTYDOC_LONG_REQUEST_TIMEOUT", DefaultLongRequestTimeout, "deadline of batch print and catalogue imports"},
	} {
		def := d.def
		if v := getenv(d.env); v != "" {
			var err error
			if def, err = time.ParseDuration(v); err != nil || def <= 0 {
				return cfg, fmt.Errorf("%s=%q: want a duration such as 5s", d.env, v)
			}
		}
		fs.DurationVar(d.v, d.flag, def, d.usage+" ("+d.env+")")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return cfg, err
	}
	cfg.SMTP = casework.SMTPConfig{Host: getenv("PENALTYDOC_SMTP_HOST"), TLS: getenv("PENALTYDOC_SMTP_TLS"),
		User: getenv("PENALTYDOC_SMTP_USER"), Password: getenv("PENALTYDOC_SMTP_PASSWORD"), From: getenv("PENALTYDOC_SMTP_FROM")}
	if v := getenv("PENALTYDOC_SMTP_PORT"); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil || port <= 0 || port > 65535 {
			return cfg, fmt.Errorf("PENALTYDOC_SMTP_PORT=%q: want a port number", v)
		}
		cfg.SMTP.Port = port
	}
	for _, d := range []time.Duration{cfg.QueryTimeout, cfg.RequestTimeout, cfg.LongRequestTimeout} {
		if d <= 0 {
			return cfg, fmt.Errorf("timeouts must be positive, got %s", d)
		}
	}
	return cfg, nil
}

// run starts the service and blocks until ctx ends, then shuts down
// gracefully: in-flight requests finish and the database closes cleanly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if limit, err := parseBytes(cfg.MemoryLimit); err != nil {
		return fmt.Errorf("memory limit: %w", err)
	} else if limit > 0 {
		debug.SetMemoryLimit(limit)
	}

	blobs, err := models.ParseBlobStore(cfg.Blobs)
	if err != nil {
		return err
	}
	store, err := models.OpenWith(ctx, cfg.DB, models.Options{QueryTimeout: cfg.QueryTimeout, Blobs: blobs})
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	if cfg.CheckAudit {
		return checkAudit(ctx, store, cfg.AuditAnchors, stdout)
	}
	keys, note, err := accessKeys(cfg.DB, cfg.Secret, cfg.SecretPrevious)
	if err != nil {
		return err
	}
	log.Info(note)
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	password, generated := cfg.AdminPassword, false
	if password == "" {
		password, generated = randomPassword(), true
	}
	res, err := store.Seed(ctx, models.SeedOptions{AdminPassword: password, Templates: defaultTemplates()})
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if res.AdminCreated {
		if generated {
			// Once, to the terminal: never into the JSON log lines that log
			// collectors keep.
			fmt.Fprintf(stderr, "penaltydoc: created user admin with the generated password %s (shown only now; change it at /account/password after signing in, then set each authority's seal at /admin/authorities)\n", password)
			log.Warn("created user admin with a generated password, printed once to the terminal; change it after signing in", "username", "admin")
		} else {
			log.Info("created user admin with PENALTYDOC_ADMIN_PASSWORD")
		}
	}
	if res.Authority || res.Items > 0 || res.Templates > 0 {
		log.Info("seeded database", "authority", res.Authority, "catalogue_items", res.Items, "templates", res.Templates)
	}

	if cfg.EmergencyAdmin {
		log.Warn("emergency setting on: admins may override the separation of duties; every such step is audited as emergency_separation_override")
	}
	var mailer casework.Mailer
	if cfg.SMTP.Host != "" {
		m, err := casework.NewSMTPMailer(cfg.SMTP)
		if err != nil {
			return err
		}
		mailer = m
		log.Info("electronic service by e-mail", "smtp_host", cfg.SMTP.Host, "tls", cfg.SMTP.TLS)
	}
	deps := Deps{Store: store, Log: log, BaseURL: cfg.BaseURL, EmergencyAdmin: cfg.EmergencyAdmin, AccessKeys: keys,
		RequestTimeout: cfg.RequestTimeout, LongRequestTimeout: cfg.LongRequestTimeout, TrustedProxies: cfg.TrustedProxies, Mailer: mailer,
		TSAURL: cfg.TSAURL}
	if deps.Work, err = newWork(deps); err != nil {
		return err
	}
	handler, err := NewServer(deps)
	if err != nil {
		return err
	}
	go purge(ctx, store, log)
	resumeIssues(ctx, deps.Work, log)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	fmt.Fprintf(stdout, "penaltydoc listening on %s (database %s)\n", ln.Addr(), store.Dialect())
	log.Info("listening", "addr", ln.Addr().String(), "database", store.Dialect())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// parseBytes reads a size such as 512MiB, 2GiB, 1GB or 800000000; "off"
// and "" are 0.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "off") {
		return 0, nil
	}
	units := []struct {
		suffix string
		n      int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("%q is not a size", s)
			}
			return int64(v * float64(u.n)), nil
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	return v, nil
}

func randomPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}

// purgeEvery is how often ended sessions and spent throttle rows are
// deleted.
const purgeEvery = 10 * time.Minute

// purge deletes ended sessions and spent throttle rows at start and every
// purgeEvery until ctx ends; a failure is logged and tried again next time.
func purge(ctx context.Context, store *models.Store, log *slog.Logger) {
	t := time.NewTicker(purgeEvery)
	defer t.Stop()
	for {
		if p, err := store.Purge(ctx); err != nil {
			if ctx.Err() == nil {
				log.Warn("purge sessions and throttles", "err", err)
			}
		} else if p.Sessions+p.Throttles > 0 {
			log.Info("purged", "sessions", p.Sessions, "throttles", p.Throttles)
		}
		if n, err := store.PurgePortal(ctx); err != nil && ctx.Err() == nil {
			log.Warn("purge portal sessions", "err", err)
		} else if n > 0 {
			log.Info("purged", "portal_sessions", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Issues that took a number and did not store their PDF are completed at
// start-up (whatever their age: this process had none in flight) and then
// every resumeEvery those older than resumeAge (another process's issue in
// flight is younger).
const (
	resumeEvery = 20 * time.Second
	resumeAge   = 90 * time.Second
)

func resumeIssues(ctx context.Context, work *casework.Service, log *slog.Logger) {
	resume := func(age time.Duration) {
		n, err := work.ResumeIssues(ctx, age)
		if err != nil && ctx.Err() == nil {
			log.Error("resume issues", "err", err, "completed", n)
		} else if n > 0 {
			log.Info("completed interrupted issues", "documents", n)
		}
	}
	resume(0)
	go func() {
		t := time.NewTicker(resumeEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				resume(resumeAge)
			}
		}
	}()
}
