// Command loadtest drives a penaltydoc service through its public HTTP API
// with N clients doing the real work of an office (sign in, evaluate, file
// a case, draft, preview, submit, legal review, approve, issue, serve, the
// party's download, verify) for a set time, and prints throughput, latency
// percentiles and errors per operation. It can spawn the service itself
// (SQLite in a fresh directory, or a fresh MariaDB database), kill it with
// SIGKILL or restart MariaDB mid-run, and afterwards checks through the API
// that the official numbers have no gap and no repeat and that every issued
// document's PDF matches its SHA-256. It exits 1 when a check fails.
//
//	go run ./cmd/loadtest -spawn -clients 16 -duration 60s
//	go run ./cmd/loadtest -spawn -fault server-kill -faults 2
//	go run ./cmd/loadtest -url http://127.0.0.1:8080 -admin-password …
//
// docs/performance.md has the figures and the commands behind them.
package main

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // a check failed
	exitError  = 2 // the harness could not run (flags, set-up, interrupted)
)

type config struct {
	URL           string
	Spawn         bool
	DB            string
	ServerPkg     string
	Clients       int
	Duration      time.Duration
	Timeout       time.Duration
	AdminUser     string
	AdminPassword string
	Faults        []string
	FaultCount    int
	Down          time.Duration
	Grace         time.Duration
	MariaDBStop   string
	MariaDBStart  string
	MaxErrors     int
	Relogin       int
	Spread        bool
	Keep          bool
	Progress      time.Duration
	Seed          uint64
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	def := func(key, fallback string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return fallback
	}
	var cfg config
	var faults string
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.URL, "url", "", "URL of a running service, e.g. http://127.0.0.1:8080 (or -spawn)")
	fs.BoolVar(&cfg.Spawn, "spawn", false, "build ./server, run it on a free port with fresh data, stop it at the end")
	fs.StringVar(&cfg.DB, "db", "", "with -spawn: mysql:DSN for MariaDB (a fresh database is created on that server), default SQLite in a fresh directory; with -url and -fault mariadb-restart: the service's MariaDB")
	fs.StringVar(&cfg.ServerPkg, "server-pkg", "./server", "with -spawn: the package to build")
	fs.IntVar(&cfg.Clients, "clients", 4, "concurrent clients")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long the clients work")
	fs.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "deadline of each request")
	fs.StringVar(&cfg.AdminUser, "admin-user", "admin", "admin user name (-url)")
	fs.StringVar(&cfg.AdminPassword, "admin-password", getenv("PENALTYDOC_ADMIN_PASSWORD"), "admin password (-url; PENALTYDOC_ADMIN_PASSWORD)")
	fs.StringVar(&faults, "fault", "", "faults to inject mid-run: server-kill (needs -spawn), mariadb-restart, or both comma-separated (taken in turn)")
	fs.IntVar(&cfg.FaultCount, "faults", 1, "number of faults, spread evenly over the run")
	fs.DurationVar(&cfg.Down, "down", time.Second, "how long the server or MariaDB stays down")
	fs.DurationVar(&cfg.Grace, "grace", 3*time.Second, "failures are tolerated from a fault until this long after the service answers again")
	fs.StringVar(&cfg.MariaDBStop, "mariadb-stop", def("LOADTEST_MARIADB_STOP", defaultMariaDBStop),
		"shell command that stops MariaDB; {host} and {port} come from the DSN (LOADTEST_MARIADB_STOP)")
	fs.StringVar(&cfg.MariaDBStart, "mariadb-start", def("LOADTEST_MARIADB_START", defaultMariaDBStart),
		"shell command that starts MariaDB in the background (LOADTEST_MARIADB_START)")
	fs.IntVar(&cfg.MaxErrors, "max-errors", 0, "failed requests tolerated outside fault windows")
	fs.IntVar(&cfg.Relogin, "relogin", 10, "each client signs its officer in again every N flows (0: once)")
	fs.BoolVar(&cfg.Spread, "spread", true, "parties' requests from distinct loopback addresses (127.x.y.z), one per request, when the service is on a loopback address; the download throttle counts per address")
	fs.BoolVar(&cfg.Keep, "keep", false, "with -spawn: keep the data directory or database")
	fs.DurationVar(&cfg.Progress, "progress", 5*time.Second, "print progress this often (0: never)")
	fs.Uint64Var(&cfg.Seed, "seed", 0, "seed of the generated case facts (0: random)")
	if err := fs.Parse(args[1:]); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if cfg.Faults, err = parseFaults(faults); err != nil {
		return cfg, err
	}
	return cfg, validate(cfg)
}

// validate refuses flag combinations that cannot work, and a MariaDB
// restart whose default start command would not start the server it
// stopped.
func validate(cfg config) error {
	switch {
	case cfg.Spawn == (cfg.URL != ""):
		return errors.New("give either -url of a running service or -spawn")
	case cfg.Clients < 1 || cfg.Duration <= 0 || cfg.Timeout <= 0:
		return errors.New("-clients, -duration and -timeout must be positive")
	case cfg.DB != "" && !strings.HasPrefix(cfg.DB, "mysql:"):
		return fmt.Errorf("-db %q: want mysql:DSN (SQLite is the default with -spawn)", cfg.DB)
	case !cfg.Spawn && cfg.AdminPassword == "":
		return errors.New("with -url, give -admin-password (or PENALTYDOC_ADMIN_PASSWORD)")
	case len(cfg.Faults) > 0 && cfg.FaultCount < 1:
		return errors.New("-faults must be at least 1")
	}
	for _, f := range cfg.Faults {
		switch f {
		case faultServerKill:
			if !cfg.Spawn {
				return errors.New("-fault server-kill needs -spawn (the harness kills the server it started)")
			}
		case faultMariaDBRestart:
			addr, err := mysqlAddr(mysqlDSN(cfg.DB))
			if cfg.DB == "" || err != nil {
				return fmt.Errorf("-fault mariadb-restart needs -db mysql:user@tcp(host:port)/db: %v", err)
			}
			if cfg.MariaDBStart == defaultMariaDBStart && addr != "127.0.0.1:3306" && addr != "localhost:3306" {
				return fmt.Errorf("MariaDB at %s: the default -mariadb-start starts the system server on 3306 only; give the command that starts this one", addr)
			}
		}
	}
	return nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "loadtest: %v\n", err)
		}
		return exitError
	}
	h := &harness{cfg: cfg, out: stdout, runID: randomID(6)}
	code, err := h.run(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "loadtest: %v\n", err)
	}
	return code
}

// harness is one run.
type harness struct {
	cfg     config
	out     io.Writer
	runID   string
	svc     *service
	dataDir string
	freshDB string // the MariaDB database created for the run
	base    string
	dsn     string // MariaDB, Go driver DSN
	// serverUse is what the spawned server processes used during the load.
	serverUse usage
}

func (h *harness) printf(format string, args ...any) { fmt.Fprintf(h.out, format, args...) }

func (h *harness) run(ctx context.Context) (int, error) {
	cfg := h.cfg
	h.base, h.dsn = strings.TrimRight(cfg.URL, "/"), mysqlDSN(cfg.DB)
	adminPassword := cfg.AdminPassword
	if cfg.Spawn {
		adminPassword = randomID(20)
		if err := h.spawn(ctx, adminPassword); err != nil {
			return exitError, err
		}
		defer h.cleanup()
	}
	setupAPI := newAPI(h.base, newRecorder(), cfg.Clients, cfg.Timeout, false)
	admin := &account{username: cfg.AdminUser, password: adminPassword}
	if _, err := admin.login(ctx, setupAPI); err != nil {
		return exitError, fmt.Errorf("sign in as %s: %w", cfg.AdminUser, err)
	}
	t0 := time.Now()
	teams, err := setupTeams(ctx, setupAPI, admin, h.runID, cfg.Clients)
	if err != nil {
		return exitError, fmt.Errorf("set up users: %w", err)
	}
	spread := cfg.Spread && isLoopback(h.base)
	faults := "none"
	if len(cfg.Faults) > 0 {
		faults = fmt.Sprintf("%d (%s)", cfg.FaultCount, strings.Join(cfg.Faults, " then "))
	}
	h.printf("loadtest %s: %s, %d clients for %s, faults %s; users set up in %s; parties from distinct addresses: %v\n",
		h.runID, h.target(), cfg.Clients, cfg.Duration, faults, time.Since(t0).Round(time.Millisecond), spread)

	rec := newRecorder()
	a := newAPI(h.base, rec, cfg.Clients, cfg.Timeout, spread)
	led := &ledger{}
	inj := &injector{kinds: cfg.Faults, svc: h.svc, base: h.base, dsn: h.dsn, stop: cfg.MariaDBStop, start: cfg.MariaDBStart,
		down: cfg.Down, grace: cfg.Grace, out: h.out}
	elapsed, interrupted := h.load(ctx, a, teams, led, inj)

	h.printf("\n")
	rec.writeReport(h.out, elapsed, opOrder)
	if h.svc != nil && h.serverUse.CPU > 0 {
		h.printf("%s\n", usageText(h.serverUse, elapsed, rec.flowCount(), rec.okCount("issue")))
	}
	if interrupted {
		return exitError, errors.New("interrupted: no checks")
	}

	var failed []string
	if h.svc != nil {
		if ok, err := h.svc.exitedEarly(); ok {
			failed = append(failed, fmt.Sprintf("the server exited by itself during the run (%v); its log: %s", err, h.svc.logPath))
		}
	}
	failed = append(failed, inj.failures...)
	failed = append(failed, led.problems...)
	h.printf("\nchecks:\n")
	out := outside(rec.failureEvents(), inj.allWindows())
	if len(out) > cfg.MaxErrors {
		failed = append(failed, fmt.Sprintf("%d failed requests outside fault windows (at most %d tolerated): %s",
			len(out), cfg.MaxErrors, eventsText(out)))
	} else {
		h.printf("  failed requests outside fault windows: %d (tolerated %d)\n", len(out), cfg.MaxErrors)
	}
	checkAPI := newAPI(h.base, newRecorder(), cfg.Clients, cfg.Timeout, false)
	clerks := map[uint]*account{} // issued receipts print the access code: only clerks open them
	for _, t := range teams {
		clerks[t.authorityID] = t.clerk
	}
	res, err := checkService(context.WithoutCancel(ctx), checkAPI, admin, clerks, led.issued, 8)
	if err != nil {
		failed = append(failed, fmt.Sprintf("reading the documents back: %v", err))
	} else {
		h.printf("  %d cases, %d documents, %d numbered, %d PDFs checked against their SHA-256 and verify page\n",
			res.Cases, res.Documents, res.Numbered, res.PDFs)
		h.printf("  %d issues acknowledged to the clients, each found with its number and hash\n", len(led.issued))
		if n := len(res.Unacknowledged); n > 0 {
			h.printf("  %d numbered without a 200 to the client (answer lost in a fault, or older data):", n)
			for i, d := range res.Unacknowledged {
				if i == 10 {
					h.printf(" …")
					break
				}
				h.printf(" document %d (%s)", d.ID, d.Number)
			}
			h.printf("\n")
		}
		for _, s := range res.Series {
			h.printf("  %s: %d numbers, 1…%d\n", s.Series, s.Count, s.Max)
		}
		failed = append(failed, res.Problems...)
	}
	if len(failed) > 0 {
		h.cfg.Keep = true // keep the data to look at
	}
	if h.svc != nil {
		lines, n := errorLines(h.svc.logPath, 10)
		h.printf("  server log: %d ERROR lines", n)
		if h.cfg.Keep {
			h.printf(" (%s)", h.svc.logPath)
		}
		h.printf("\n")
		for _, l := range lines {
			h.printf("    %s\n", l)
		}
	}
	if len(failed) > 0 {
		h.printf("\nFAILED (%d):\n", len(failed))
		for i, f := range failed {
			if i == 50 {
				h.printf("  … and %d more\n", len(failed)-i)
				break
			}
			h.printf("  - %s\n", f)
		}
		return exitFailed, nil
	}
	h.printf("\nOK: numbers without gap or repeat, every PDF matches its SHA-256\n")
	return exitOK, nil
}

// load runs the clients and the faults for the configured time and answers
// how long the clients worked and whether the run was interrupted.
func (h *harness) load(ctx context.Context, a *api, teams map[string]*team, led *ledger, inj *injector) (time.Duration, bool) {
	cfg := h.cfg
	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	seed := cfg.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	var before usage
	if h.svc != nil {
		before = h.svc.usage()
	}
	start := time.Now()
	var faults sync.WaitGroup
	if len(cfg.Faults) > 0 {
		faults.Go(func() { inj.run(ctx, start, cfg.Duration, cfg.FaultCount) })
	}
	stopProgress := h.progress(runCtx, a.rec, start)
	var wg sync.WaitGroup
	for i := range cfg.Clients {
		w := &worker{n: i, a: a, teams: teams, ledger: led, relogin: cfg.Relogin, now: time.Now,
			rng: rand.New(rand.NewPCG(seed, uint64(i))), signedIn: map[*account]bool{}}
		wg.Go(func() { w.loop(runCtx) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	stopProgress()
	faults.Wait()
	if h.svc != nil {
		after := h.svc.usage()
		h.serverUse = usage{CPU: after.CPU - before.CPU, PeakRSS: after.PeakRSS}
	}
	return elapsed, ctx.Err() != nil
}

// progress prints a line every cfg.Progress until stopped.
func (h *harness) progress(ctx context.Context, rec *recorder, start time.Time) func() {
	if h.cfg.Progress <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(h.cfg.Progress)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-done:
				return
			case <-tick.C:
				_, total := rec.summary(time.Since(start), nil)
				h.printf("%s: %d ok (%.0f/s), failed %s\n", time.Since(start).Round(time.Second), total.OK, total.Rate, failuresText(total.Failures))
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

func (h *harness) target() string {
	if h.svc == nil {
		return h.base
	}
	db := "SQLite"
	if h.dsn != "" {
		db = "MariaDB database " + h.freshDB
	}
	return fmt.Sprintf("spawned server at %s on %s", h.base, db)
}

// spawn builds the server, prepares fresh data and starts it.
func (h *harness) spawn(ctx context.Context, adminPassword string) error {
	dir, err := os.MkdirTemp("", "penaltydoc-loadtest-")
	if err != nil {
		return err
	}
	h.dataDir = dir
	bin, err := buildServer(ctx, h.cfg.ServerPkg, dir)
	if err != nil {
		return err
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	db := "sqlite:" + dir + "/data/penaltydoc.db"
	if h.dsn != "" {
		h.freshDB = "loadtest_" + h.runID
		if h.dsn, err = freshDatabase(ctx, h.dsn, h.freshDB); err != nil {
			return err
		}
		db = "mysql:" + h.dsn
	}
	h.svc = &service{bin: bin, addr: addr, db: db, adminPassword: adminPassword, logPath: dir + "/server.log"}
	if h.dsn != "" {
		// MySQL has no file beside the data for the server secret: the
		// environment carries it, the same across restarts (SQLite keeps
		// its secret.key beside the database).
		b := make([]byte, 32)
		crand.Read(b)
		h.svc.secret = hex.EncodeToString(b)
	}
	h.base = h.svc.url()
	return h.svc.start(ctx)
}

// cleanup stops the spawned server and removes its data unless kept.
func (h *harness) cleanup() {
	h.svc.stop()
	if h.cfg.Keep {
		h.printf("data kept: %s", h.dataDir)
		if h.freshDB != "" {
			h.printf(", MariaDB database %s", h.freshDB)
		}
		h.printf("\n")
		return
	}
	if h.freshDB != "" {
		if err := execMySQL(context.Background(), h.dsn, "DROP DATABASE `"+h.freshDB+"`"); err != nil {
			h.printf("drop database: %v\n", err)
		}
	}
	_ = os.RemoveAll(h.dataDir)
}

// usageText is the server's line of the report: its CPU over the run, per
// flow and per issued document, and its peak memory.
func usageText(u usage, elapsed time.Duration, flows, issued int) string {
	per := func(n int) string {
		if n == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f ms", float64(u.CPU.Milliseconds())/float64(n))
	}
	return fmt.Sprintf("server: %.1f s CPU in %.1f s (%.2f cores), %s per flow, %s per issued document; peak RSS %d MB",
		u.CPU.Seconds(), elapsed.Seconds(), u.CPU.Seconds()/max(elapsed.Seconds(), 1e-9), per(flows), per(issued), u.PeakRSS>>20)
}

// eventsText counts failures by operation and class: "issue 500×2, login net×1".
func eventsText(es []event) string {
	counts := map[string]map[string]int{}
	var ops []string
	for _, e := range es {
		if counts[e.op] == nil {
			counts[e.op] = map[string]int{}
			ops = append(ops, e.op)
		}
		counts[e.op][e.class]++
	}
	parts := make([]string, len(ops))
	for i, op := range ops {
		parts[i] = op + " " + failuresText(counts[op])
	}
	return strings.Join(parts, ", ")
}
