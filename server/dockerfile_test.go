package main

import (
	"os"
	"path"
	"strings"
	"testing"
)

// TestDockerfileCopiesReplacements: no Docker engine runs here, so the
// Dockerfile is kept correct by construction. Its module download runs
// before the whole tree is copied (for the layer cache); every module that
// go.mod replaces by a local directory must be copied before that step,
// or `go mod download` fails ("replacement directory ... does not exist").
func TestDockerfileCopiesReplacements(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var local []string // local replacement directories
	inBlock := false
	for _, line := range strings.Split(string(mod), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "replace (":
			inBlock = true
			continue
		case inBlock && line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "replace "):
			line = strings.TrimPrefix(line, "replace ")
		case !inBlock:
			continue
		}
		if _, target, ok := strings.Cut(line, "=>"); ok {
			if dir := strings.Fields(target); len(dir) > 0 && (strings.HasPrefix(dir[0], "./") || strings.HasPrefix(dir[0], "../")) {
				local = append(local, path.Clean(dir[0]))
			}
		}
	}
	df, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var copied []string // sources copied before go mod download
	download := false
	for _, line := range strings.Split(string(df), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "COPY" && !strings.HasPrefix(f[1], "--") {
			for _, src := range f[1 : len(f)-1] {
				copied = append(copied, path.Clean(src))
			}
		}
		if strings.Contains(line, "go mod download") {
			download = true
			break
		}
	}
	if !download {
		t.Skip("the Dockerfile downloads no modules on their own (nothing to check)")
	}
	for _, dir := range local {
		ok := false
		for _, src := range copied {
			if src == "." || dir == src || strings.HasPrefix(dir, src+"/") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("go.mod replaces a module by %s, which the Dockerfile does not copy before `go mod download` (copied: %v)", dir, copied)
		}
	}
	if len(local) == 0 {
		t.Log("go.mod has no local replacements")
	}
}
