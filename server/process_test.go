package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"penaltydoc/models"
	"penaltydoc/models/dbtest"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// These tests run the real server binary: two processes on one MariaDB
// database issuing at once, and a process killed with SIGKILL in the middle
// of a burst of issuing.

// buildServer compiles this package into a binary.
func buildServer(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and starts server processes")
	}
	bin := filepath.Join(t.TempDir(), "penaltydoc")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// prepareIssuing migrates and seeds the database at dsn and makes n
// approved advance notices, each on its own case, through the store.
func prepareIssuing(t testing.TB, dsn string, n int) []uint {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Seed(ctx, models.SeedOptions{AdminPassword: testAdminPassword, Templates: defaultTemplates(), Seal: render.SampleSeal()}); err != nil {
		t.Fatal(err)
	}
	item, err := store.ItemByCode(ctx, mustFirstItem(t, store))
	if err != nil {
		t.Fatal(err)
	}
	// The drafter and the approver are not the clerk who issues over HTTP
	// (the separation of duties).
	if _, err := store.CreateUser(ctx, models.NewUser{Username: "clerk1", Password: "password-clerk1", Roles: []string{models.RoleClerk}}); err != nil {
		t.Fatal(err)
	}
	a := models.Actor{UserID: 901, Username: "drafter", Roles: []string{models.RoleOfficer}, IP: "127.0.0.1", Scope: models.Everything}
	head := models.Actor{UserID: 902, Username: "head", Roles: []string{models.RoleApprover}, IP: "127.0.0.1", Scope: models.Everything}
	f := rules.Facts{AuthorityID: 1, ViolationCode: item.Code, ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
		Facts: "经查，当事人未按规定明码标价。", Party: rules.Party{Kind: rules.PartyPerson, Name: "张某", IDNumber: "11010519491231002X", Address: "杭州市"}}
	ev := rules.Evaluation{Outcome: rules.OutcomePenalty, DocumentKind: rules.KindPenaltyDecision, Fine: rules.Fine{Recommended: 1000}}
	// The case names two certified officers of its authority (APL Art. 42).
	var officers []uint
	one := uint(1)
	for _, name := range []string{"officer-a", "officer-b"} {
		u, err := store.CreateUser(ctx, models.NewUser{Username: name, Password: "password-1", Roles: []string{models.RoleOfficer},
			AuthorityID: &one, CertificateNumber: "CERT-" + name})
		if err != nil {
			t.Fatal(err)
		}
		officers = append(officers, u.ID)
	}
	ids := make([]uint, n)
	for i := range ids {
		c := &models.Case{AuthorityID: 1, ItemID: item.ID, OfficerIDs: models.JoinIDs(officers)}
		if err := store.CreateCase(ctx, a, c, f, ev); err != nil {
			t.Fatal(err)
		}
		d := &models.Document{CaseID: c.ID, AuthorityID: 1, Kind: rules.KindAdvanceNotice}
		if err := store.CreateDocument(ctx, a, d); err != nil {
			t.Fatal(err)
		}
		if _, err := store.SubmitDocument(ctx, a, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ApproveDocument(ctx, head, d.ID); err != nil {
			t.Fatal(err)
		}
		ids[i] = d.ID
	}
	return ids
}

func mustFirstItem(t testing.TB, store *models.Store) string {
	t.Helper()
	items, err := store.ListItems(context.Background())
	if err != nil || len(items) == 0 {
		t.Fatalf("no catalogue items: %v", err)
	}
	return items[0].Code
}

// serverProcess is a running server binary.
type serverProcess struct {
	cmd   *exec.Cmd
	url   string
	token string
}

func startServer(t testing.TB, bin, dsn string) *serverProcess {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PENALTYDOC_DB="+dsn, "PENALTYDOC_ADDR=127.0.0.1:0",
		"PENALTYDOC_ADMIN_PASSWORD="+testAdminPassword, "PENALTYDOC_BASE_URL=https://penaltydoc.example", "PENALTYDOC_SECRET="+testSecret)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{cmd: cmd}
	t.Cleanup(func() { p.kill() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "listening on "); ok {
				addr <- strings.Fields(rest)[0]
			}
		}
	}()
	select {
	case a := <-addr:
		p.url = "http://" + a
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	p.token = login(t, p.url, "clerk1", "password-clerk1")
	return p
}

func (p *serverProcess) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
	}
}

var issueClient = &http.Client{Timeout: 60 * time.Second}

// issueHTTP issues document id through p; it answers the HTTP status (0 when
// the connection failed) and the number.
func (p *serverProcess) issue(id uint) (int, string) {
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/documents/%d/issue", p.url, id), nil)
	req.Header.Set("Authorization", "Bearer "+p.token)
	resp, err := issueClient.Do(req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	var out struct {
		Number string `json:"number"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.Number
}

// checkNumbering checks that every numbered notice has its PDF and hash,
// that every number taken by an issue that did not finish (a reservation)
// belongs to a document still approved, without a number or PDF to
// readers, and that the serials of both are exactly 1..k; it answers k.
func checkNumbering(t *testing.T, dsn string, ids []uint) int {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	docs, err := store.DocumentsPDF(ctx, models.Everything, ids)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := store.PendingIssues(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	reserved := map[uint]int{}
	for _, r := range pending {
		reserved[r.DocumentID] = int(r.Serial)
	}
	var serials []int
	for _, d := range docs {
		if d.Number == nil {
			if d.Status != models.DocApproved || len(d.PDF) != 0 {
				t.Errorf("document %d: status %s without a number", d.ID, d.Status)
			}
			if s, ok := reserved[d.ID]; ok {
				serials = append(serials, s)
			}
			continue
		}
		if _, ok := reserved[d.ID]; ok {
			t.Errorf("document %d (%s): issued and reserved", d.ID, *d.Number)
		}
		sum := sha256.Sum256(d.PDF)
		if d.Status != models.DocIssued || len(d.PDF) == 0 || hex.EncodeToString(sum[:]) != d.SHA256 || d.VerifyToken == nil || d.AccessCodeHash == "" {
			t.Errorf("document %d (%s): status %s, %d bytes, hash ok %v", d.ID, *d.Number, d.Status, len(d.PDF), hex.EncodeToString(sum[:]) == d.SHA256)
		}
		serials = append(serials, int(d.Serial))
	}
	slices.Sort(serials)
	for i, s := range serials {
		if s != i+1 {
			t.Fatalf("serials are not 1..%d without gaps or repeats: %v", len(serials), serials)
		}
	}
	return len(serials)
}

// pendingIssues counts the numbers taken whose PDF is not stored.
func pendingIssues(t *testing.T, dsn string) int {
	t.Helper()
	store, err := models.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rs, err := store.PendingIssues(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}

// unnumbered returns the ids without a number yet.
func unnumbered(t *testing.T, dsn string, ids []uint) []uint {
	t.Helper()
	store, err := models.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var out []uint
	for _, id := range ids {
		d, err := store.DocumentByID(context.Background(), models.Everything, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Number == nil {
			out = append(out, id)
		}
	}
	return out
}

// issueAll issues ids through the processes, workers goroutines each,
// until stop says so; it answers how many succeeded.
func issueAll(t *testing.T, procs []*serverProcess, ids []uint, workers int, stop func(ok int64) bool) int64 {
	var next, ok atomic.Int64
	var wg sync.WaitGroup
	for _, p := range procs {
		for range workers {
			wg.Go(func() {
				for {
					i := next.Add(1) - 1
					if int(i) >= len(ids) || stop(ok.Load()) {
						return
					}
					st, num := p.issue(ids[i])
					switch {
					case st == 200 && num != "":
						ok.Add(1)
					case st == 0: // the process is gone
						return
					default:
						t.Errorf("issue %d: status %d", ids[i], st)
					}
				}
			})
		}
	}
	wg.Wait()
	return ok.Load()
}

// TestTwoProcessesIssueOnOneDatabase: two server processes on one MariaDB
// database issue 60 documents of one series at once: numbers 1-60, no
// repeats, no gaps.
func TestTwoProcessesIssueOnOneDatabase(t *testing.T) {
	if os.Getenv(dbtest.EnvMySQL) == "" {
		t.Skipf("%s not set", dbtest.EnvMySQL)
	}
	bin := buildServer(t)
	db := dbtest.MySQL(t)
	ids := prepareIssuing(t, db.DSN, 60)
	procs := []*serverProcess{startServer(t, bin, db.DSN), startServer(t, bin, db.DSN)}
	if n := issueAll(t, procs, ids, 4, func(int64) bool { return false }); n != 60 {
		t.Fatalf("%d of 60 issued", n)
	}
	if k := checkNumbering(t, db.DSN, ids); k != 60 {
		t.Fatalf("%d numbered", k)
	}
}

// TestKilledDuringIssuing: a server killed with SIGKILL in the middle of a
// burst leaves every numbered document complete and the numbers without a
// gap; after a restart numbering continues.
func TestKilledDuringIssuing(t *testing.T) {
	bin := buildServer(t)
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ids := prepareIssuing(t, db.DSN, 60)
			p := startServer(t, bin, db.DSN)
			var once sync.Once
			n := issueAll(t, []*serverProcess{p}, ids, 8, func(ok int64) bool {
				if ok >= 15 {
					once.Do(p.kill) // mid-burst: other requests are in flight
				}
				return false
			})
			k := checkNumbering(t, db.DSN, ids)
			if k < int(n) || k == len(ids) {
				t.Fatalf("%d answered 200, %d numbered of %d: the kill came too late to test anything", n, k, len(ids))
			}
			t.Logf("killed after %d issued (%d numbered or reserved in the database)", n, k)
			p2 := startServer(t, bin, db.DSN) // completes the reserved ones first
			if k2 := checkNumbering(t, db.DSN, ids); k2 != k || pendingIssues(t, db.DSN) != 0 {
				t.Fatalf("after restart %d numbered (%d before), reservations left", k2, k)
			}
			rest := unnumbered(t, db.DSN, ids)
			issueAll(t, []*serverProcess{p2}, rest, 4, func(int64) bool { return false })
			if k := checkNumbering(t, db.DSN, ids); k != len(ids) {
				t.Fatalf("after restart %d of %d numbered", k, len(ids))
			}
		})
	}
}
