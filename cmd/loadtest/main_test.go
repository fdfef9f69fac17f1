package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	const private = "mysql:root@tcp(127.0.0.1:3307)/"
	tests := []struct {
		name    string
		args    string
		env     map[string]string
		wantErr string
	}{
		{"spawn with defaults", "-spawn", nil, ""},
		{"attached with a password", "-url http://127.0.0.1:8080 -admin-password x", nil, ""},
		{"attached, password from the environment", "-url http://127.0.0.1:8080", map[string]string{"PENALTYDOC_ADMIN_PASSWORD": "x"}, ""},
		{"neither url nor spawn", "", nil, "either -url"},
		{"both url and spawn", "-spawn -url http://x", nil, "either -url"},
		{"attached without a password", "-url http://127.0.0.1:8080", nil, "-admin-password"},
		{"no clients", "-spawn -clients 0", nil, "positive"},
		{"sqlite as -db", "-spawn -db sqlite:/tmp/x.db", nil, "want mysql:DSN"},
		{"server kill needs spawn", "-url http://127.0.0.1:8080 -admin-password x -fault server-kill", nil, "needs -spawn"},
		{"server kill", "-spawn -fault server-kill -faults 3", nil, ""},
		{"unknown fault", "-spawn -fault reboot", nil, "unknown fault"},
		{"mariadb restart needs a DSN", "-spawn -fault mariadb-restart", nil, "needs -db"},
		{"system MariaDB with the default commands", "-spawn -db mysql:root@tcp(127.0.0.1:3306)/ -fault mariadb-restart", nil, ""},
		{"private MariaDB needs its start command", "-spawn -db " + private + " -fault mariadb-restart", nil, "give the command that starts this one"},
		{"private MariaDB with its start command", "-spawn -db " + private + " -fault mariadb-restart -mariadb-start true", nil, ""},
		{"private MariaDB, start command from the environment", "-spawn -db " + private + " -fault mariadb-restart",
			map[string]string{"LOADTEST_MARIADB_START": "mariadbd --port=3307"}, ""},
		{"stray argument", "-spawn extra", nil, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env = tt.env
			_, err := parseConfig(append([]string{"loadtest"}, strings.Fields(tt.args)...), getenv, io.Discard)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("parseConfig(%q) = %v, want error containing %q", tt.args, err, tt.wantErr)
			}
		})
	}
	env = nil
	cfg, err := parseConfig([]string{"loadtest", "-spawn", "-fault", "server-kill,mariadb-restart", "-db", "mysql:root@tcp(127.0.0.1:3306)/", "-duration", "20s"}, getenv, io.Discard)
	if err != nil || cfg.Duration != 20*time.Second || cfg.Clients != 4 || len(cfg.Faults) != 2 || cfg.MariaDBStop != defaultMariaDBStop || cfg.FaultCount != 1 {
		t.Errorf("config %+v, %v", cfg, err)
	}
}

func TestEventsText(t *testing.T) {
	es := []event{{op: "issue", class: "500"}, {op: "login", class: classNet}, {op: "issue", class: "500"}, {op: "issue", class: classTimeout}}
	if got, want := eventsText(es), "issue 500×2 timeout×1, login net×1"; got != want {
		t.Errorf("eventsText = %q, want %q", got, want)
	}
}
