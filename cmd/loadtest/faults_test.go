package main

import (
	"slices"
	"testing"
	"time"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"", nil, false},
		{"server-kill", []string{faultServerKill}, false},
		{"mariadb-restart, server-kill", []string{faultMariaDBRestart, faultServerKill}, false},
		{"server-kill,server-kill", []string{faultServerKill}, false},
		{"server-kil", nil, true},
		{"server-kill,reboot", nil, true},
	}
	for _, tt := range tests {
		got, err := parseFaults(tt.in)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("parseFaults(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestSchedule(t *testing.T) {
	tests := []struct {
		d    time.Duration
		n    int
		want []time.Duration
	}{
		{60 * time.Second, 0, []time.Duration{}},
		{60 * time.Second, 1, []time.Duration{30 * time.Second}},
		{60 * time.Second, 2, []time.Duration{20 * time.Second, 40 * time.Second}},
		{20 * time.Second, 3, []time.Duration{5 * time.Second, 10 * time.Second, 15 * time.Second}},
	}
	for _, tt := range tests {
		if got := schedule(tt.d, tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("schedule(%v, %d) = %v, want %v", tt.d, tt.n, got, tt.want)
		}
	}
}

func TestExpandCommand(t *testing.T) {
	tests := []struct{ cmd, addr, want string }{
		{defaultMariaDBStop, "127.0.0.1:3307", "mariadb-admin -h127.0.0.1 -P3307 -uroot shutdown"},
		{defaultMariaDBStop, "db.example", "mariadb-admin -hdb.example -P3306 -uroot shutdown"},
		{"systemctl restart mariadb", "127.0.0.1:3306", "systemctl restart mariadb"},
	}
	for _, tt := range tests {
		if got := expandCommand(tt.cmd, tt.addr); got != tt.want {
			t.Errorf("expandCommand(%q, %q) = %q, want %q", tt.cmd, tt.addr, got, tt.want)
		}
	}
}
