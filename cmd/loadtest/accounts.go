package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"math"
	"slices"
	"sync"
)

// account is a user the harness signs in as; its token is refreshed when
// the service answers 401. Safe for concurrent use.
type account struct {
	username, password string
	id                 uint       // the user's id, once created
	mu                 sync.Mutex // guards token
	token              string
	relogin            sync.Mutex // one sign-in after a 401 at a time
}

type loginAnswer struct {
	Token string `json:"token"`
}

// login signs in and keeps the new token.
func (acc *account) login(ctx context.Context, a *api) (string, error) {
	var out loginAnswer
	if err := a.call(ctx, "login", "POST", "/api/v1/login", "", map[string]string{"username": acc.username, "password": acc.password}, 200, &out); err != nil {
		return "", err
	}
	acc.mu.Lock()
	acc.token = out.Token
	acc.mu.Unlock()
	return out.Token, nil
}

func (acc *account) current() string {
	acc.mu.Lock()
	defer acc.mu.Unlock()
	return acc.token
}

// call is a.call with this account's token; a 401 signs in again (once per
// stale token, whoever sees it first) and repeats the request.
func (acc *account) call(ctx context.Context, a *api, op, method, path string, body any, want int, out any) error {
	tok := acc.current()
	err := a.call(ctx, op, method, path, tok, body, want, out)
	var se *statusError
	if !errors.As(err, &se) || se.Status != 401 {
		return err
	}
	acc.relogin.Lock()
	if acc.current() == tok {
		if _, err := acc.login(ctx, a); err != nil {
			acc.relogin.Unlock()
			return err
		}
	}
	acc.relogin.Unlock()
	return a.call(ctx, op, method, path, acc.current(), body, want, out)
}

// team is the staff of one authority: per client an officer (the drafter),
// and a legal reviewer, a head (approver), a clerk and a template editor
// shared by the clients. Drafter, reviewer and approver are three people
// and the drafter does not issue (the separation of duties).
type team struct {
	authorityID                   uint
	officers                      []*account
	reviewer, head, clerk, editor *account
	// partner is the second certified officer every case names beside
	// its drafter (APL Art. 42: two officers at least).
	partner *account
}

// officerIDs are the officers a case drafted by officer names.
func (t *team) officerIDs(officer *account) []uint { return []uint{officer.id, t.partner.id} }

// The roles of the team's members (docs/api.md).
var teamRoles = []struct {
	name  string
	roles []string
}{
	{"reviewer", []string{"reviewer"}},
	{"head", []string{"approver"}},
	{"clerk", []string{"clerk"}},
	{"editor", []string{"template_editor"}},
}

// randomID is n characters of [a-z0-9], for run ids and passwords.
func randomID(n int) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyz23456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

type catalogItem struct {
	Code   string `json:"code"`
	Domain string `json:"domain"`
	Active bool   `json:"active"`
}

type authority struct {
	ID           uint     `json:"id"`
	Name         string   `json:"name"`
	Domains      []string `json:"domains"`
	Jurisdiction []string `json:"jurisdiction"`
}

// authorityFor is the first authority that names domain among its
// domains (the traffic police for traffic), else the first whose
// jurisdiction covers it (public security covers traffic).
func authorityFor(as []authority, domain string) (authority, bool) {
	for _, a := range as {
		if slices.Contains(a.Domains, domain) {
			return a, true
		}
	}
	for _, a := range as {
		if slices.Contains(a.Jurisdiction, domain) {
			return a, true
		}
	}
	return authority{}, false
}

// setupTeams creates, through the admin API, a team for the authority of
// each flow's item (an authority whose domains cover the item), with one
// officer per client, and signs in the shared members. Users are named
// lt<run>-a<authority>-<role>[-<client>].
func setupTeams(ctx context.Context, a *api, admin *account, run string, clients int) (map[string]*team, error) {
	var cat struct {
		Items []catalogItem `json:"items"`
	}
	if err := admin.call(ctx, a, "setup", "GET", "/api/v1/catalog", nil, 200, &cat); err != nil {
		return nil, err
	}
	var auths struct {
		Authorities []authority `json:"authorities"`
	}
	if err := admin.call(ctx, a, "setup", "GET", "/api/v1/authorities", nil, 200, &auths); err != nil {
		return nil, err
	}
	var raw struct {
		Authorities []map[string]any `json:"authorities"`
	}
	if err := admin.call(ctx, a, "setup", "GET", "/api/v1/authorities", nil, 200, &raw); err != nil {
		return nil, err
	}
	byAuthority := map[uint]*team{}
	teams := map[string]*team{} // by item code
	for _, code := range []string{itemMarket, itemTraffic} {
		i := slices.IndexFunc(cat.Items, func(it catalogItem) bool { return it.Code == code && it.Active })
		if i < 0 {
			return nil, fmt.Errorf("catalogue item %s (seeded on a new installation) is missing or inactive", code)
		}
		auth, ok := authorityFor(auths.Authorities, cat.Items[i].Domain)
		if !ok {
			return nil, fmt.Errorf("no authority covers the domain %s of item %s", cat.Items[i].Domain, code)
		}
		if t := byAuthority[auth.ID]; t != nil {
			teams[code] = t
			continue
		}
		if err := ensureSeal(ctx, a, admin, raw.Authorities, auth.ID); err != nil {
			return nil, err
		}
		t, err := newTeam(ctx, a, admin, run, auth.ID, clients)
		if err != nil {
			return nil, err
		}
		byAuthority[auth.ID], teams[code] = t, t
	}
	return teams, nil
}

// ensureSeal gives authority id a placeholder seal when it has none: the
// service issues nothing for an authority without a seal, and a new
// installation's authorities have none.
func ensureSeal(ctx context.Context, a *api, admin *account, auths []map[string]any, id uint) error {
	for _, au := range auths {
		if n, _ := au["id"].(float64); uint(n) != id || au["has_seal"] == true {
			continue
		}
		body := maps.Clone(au)
		body["seal_png"] = base64.StdEncoding.EncodeToString(placeholderSeal())
		return admin.call(ctx, a, "setup", "PUT", fmt.Sprintf("/api/v1/authorities/%d", id), body, 200, nil)
	}
	return nil
}

// placeholderSeal is a red ring on a transparent background, 160 pixels.
func placeholderSeal() []byte {
	const n = 160
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	c := float64(n-1) / 2
	for y := range n {
		for x := range n {
			if r := math.Hypot(float64(x)-c, float64(y)-c); r <= c-2 && r >= c-12 {
				img.Set(x, y, color.NRGBA{0xd4, 0x1e, 0x24, 0xff})
			}
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func newTeam(ctx context.Context, a *api, admin *account, run string, authorityID uint, clients int) (*team, error) {
	t := &team{authorityID: authorityID}
	prefix := fmt.Sprintf("lt%s-a%d-", run, authorityID)
	type want struct {
		acc   *account
		roles []string
	}
	var users []want
	for i := range clients {
		acc := &account{username: fmt.Sprintf("%sofficer-%d", prefix, i+1), password: randomID(16)}
		t.officers = append(t.officers, acc)
		users = append(users, want{acc, []string{"officer"}})
	}
	shared := []**account{&t.reviewer, &t.head, &t.clerk, &t.editor}
	for i, r := range teamRoles {
		acc := &account{username: prefix + r.name, password: randomID(16)}
		*shared[i] = acc
		users = append(users, want{acc, r.roles})
	}
	t.partner = &account{username: prefix + "partner", password: randomID(16)}
	users = append(users, want{t.partner, []string{"officer"}})
	// Created and signed in a few at a time: bcrypt is most of the cost.
	sem := make(chan struct{}, 4)
	errc := make(chan error, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			body := map[string]any{"username": u.acc.username, "password": u.acc.password,
				"display_name": fmt.Sprintf("压测%s", u.acc.username[len(prefix):]), "roles": u.roles, "authority_id": authorityID}
			if slices.Contains(u.roles, "officer") { // enforcement officers hold a certificate
				body["certificate_number"] = fmt.Sprintf("LT%s%d%03d", run, authorityID, i+1)
			}
			var created struct {
				ID uint `json:"id"`
			}
			if err := admin.call(ctx, a, "setup", "POST", "/api/v1/users", body, 201, &created); err != nil {
				errc <- err
				return
			}
			u.acc.id = created.ID
			if u.acc == t.partner {
				return // named in the cases; never signs in
			}
			if i >= clients { // the officers sign in in their clients
				if _, err := u.acc.login(ctx, a); err != nil {
					errc <- err
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	return t, <-errc
}
