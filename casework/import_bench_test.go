package casework

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
	"penaltydoc/rules/limits"
)

// badCatalog is a CSV list of n rows that all fail validation (no law named
// in the provisions), each row's name being name.
func badCatalog(n int, name string) []byte {
	var b bytes.Buffer
	b.WriteString("序号,违法行为,违反条款,处罚依据,适用条件\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,%s,无,无,\n", i, name)
	}
	return b.Bytes()
}

// BenchmarkImportBadCatalog: the attack of issue 10 (a 20 MB CSV of two
// million bad rows), a file of long bad rows past the byte cap, and the
// largest bad file the caps let through whole. All are refused without
// touching the database, so the service needs no store.
//
//	go test ./casework -run '^$' -bench ImportBadCatalog -benchmem
func BenchmarkImportBadCatalog(b *testing.B) {
	opts := ImportOptions{CodePrefix: "QD", Domain: rules.DomainOther, ListType: "first_offense"}
	admin := Actor{Username: "admin", Roles: []string{rules.RoleAdmin}, Scope: models.Everything} // the catalogue is the deployment's
	for _, c := range []struct {
		name string
		data []byte
		want string // the refused field
	}{
		{"2M-rows-20MB", badCatalog(2_000_000, "x")[:20<<20], "file"},            // stops at the row cap
		{"long-rows-20MB", badCatalog(10_000, strings.Repeat("坏", 700)), "file"}, // stops at the byte cap
		{"rows-at-cap", badCatalog(limits.MaxImportRows, "坏行"), "rows"},          // every row checked, 50 named
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				_, err := (&Service{}).ImportCatalog(context.Background(), admin, "bad.csv", bytes.NewReader(c.data), opts)
				e, ok := err.(*errs.Error)
				if !ok || e.Fields[c.want] == "" || len(e.Fields) > limits.MaxImportErrors+1 {
					b.Fatalf("%s: %v", c.name, err)
				}
			}
		})
	}
}
