package main

import "testing"

// TestSearchEscapesLike: %, _, \ and ! in a search are plain characters on
// SQLite and MariaDB alike.
func TestSearchEscapesLike(t *testing.T) {
	pc := loadPublicCases(t)
	forEachDB(t, func(t *testing.T, e *testEnv) {
		authID := setupPublic(t, e, pc)
		for _, name := range []string{"张_三商行", "张三商行", "百分%商行", "反\\斜杠商行", "感叹!号商行"} {
			f := clone(t, pc.Cases[0].Facts)
			f["authority_id"] = authID
			f["party"].(map[string]any)["name"] = name
			e.doJSON("POST", "/api/v1/cases", e.tokens[officer], f, 201, nil)
		}
		for q, want := range map[string]int{"张_": 1, "_": 1, "%": 1, "百分%": 1, "\\": 1, "反\\斜": 1, "张": 2, "商行": 5, "!": 1, "%%": 0, "!%": 0} {
			if got := e.countCases(t, q); got != want {
				t.Errorf("search %q: %d cases, want %d", q, got, want)
			}
		}
	})
}
