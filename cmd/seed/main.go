// Command seed fills a database with N realistic cases and their
// documents, for the scale benchmarks and for demonstrations: persons with
// valid 18-digit id numbers, organisations with valid unified social
// credit codes, plates for traffic cases, items of the seeded catalogue,
// statuses spread as in an office (drafts, in review, decided, executing,
// closed, withdrawn), issued and served letters with their receipts and
// numbers that the number sequences continue from, over several cities'
// authorities and years.
//
//	go run ./cmd/seed -db sqlite:/tmp/seed.db -cases 1000000
//	go run ./cmd/seed -db 'mysql:root@tcp(127.0.0.1:3306)/seed_1m' -cases 1000000
//
// It migrates and seeds the database first (the admin's password from
// -admin-password, or PENALTYDOC_ADMIN_PASSWORD), refuses a database that
// already has cases unless -force, and stores no PDF: an issued seeded
// letter answers 该文书为批量生成的演示数据 when opened. Every seeded user's
// password is models.SeedPassword.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"penaltydoc/models"
	"penaltydoc/templates"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	dsn := fs.String("db", "", "database: sqlite:PATH or mysql:DSN (required)")
	n := fs.Int("cases", 10000, "cases to add")
	cities := fs.Int("cities", 4, "cities whose three authorities the cases spread over (1-11)")
	years := fs.String("years", "2022-2026", "filing years, first-last")
	seed := fs.Uint64("seed", 1, "random seed (the same seed, the same data)")
	force := fs.Bool("force", false, "add cases to a database that already has some")
	fast := fs.Bool("fast", true, "SQLite: no fsync, indexes built after the load, the file the seed's alone with the journal in memory (a crash may leave a damaged file to seed again); MariaDB: no uniqueness and foreign key checks")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the seeding to this file")
	password := fs.String("admin-password", os.Getenv("PENALTYDOC_ADMIN_PASSWORD"), "the admin's password if the database has no users yet")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" {
		return fmt.Errorf("-db is required")
	}
	var first, last int
	if _, err := fmt.Sscanf(strings.TrimSpace(*years), "%d-%d", &first, &last); err != nil || first > last {
		return fmt.Errorf("-years %q: want first-last, e.g. 2022-2026", *years)
	}
	opt := models.BulkOptions{Cases: *n, Cities: *cities, Seed: *seed, Force: *force, Fast: *fast}
	for y := first; y <= last; y++ {
		opt.Years = append(opt.Years, y)
	}
	s, err := models.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	if *password == "" {
		*password = models.SeedPassword
	}
	if _, err := s.Seed(ctx, models.SeedOptions{AdminPassword: *password, Templates: templates.All()}); err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	opt.Progress = func(done int) {
		if done%100000 == 0 || done == *n {
			el := time.Since(start)
			fmt.Fprintf(out, "%d cases, %s, %.0f cases/s\n", done, el.Round(time.Millisecond), float64(done)/el.Seconds())
		}
	}
	res, err := s.SeedCases(ctx, opt)
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(out, "seeded %d cases, %d documents, %d parties, %d name grams, %d users over %d authorities in %s: %.0f cases/s\n",
		res.Cases, res.Documents, res.Parties, res.Grams, res.Users, len(res.Authorities), el.Round(time.Millisecond), float64(res.Cases)/el.Seconds())
	if *fast && s.Dialect() == models.DialectSQLite && !res.Exclusive {
		fmt.Fprintln(out, "note: the seed wrote through the WAL (slower): another connection had the file open, or it had cases already (-force)")
	}
	if res.GramTime > 0 || res.IndexTime > 0 {
		fmt.Fprintf(out, "of which the rows %s, the name index %s, the indexes %s\n", (el - res.GramTime - res.IndexTime).Round(time.Millisecond),
			res.GramTime.Round(time.Millisecond), res.IndexTime.Round(time.Millisecond))
	}
	t0 := time.Now()
	if err := s.Analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "ANALYZE %s\n", time.Since(t0).Round(time.Millisecond))
	return nil
}
