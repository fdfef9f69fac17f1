package rules

import "testing"

func TestValidIDNumber(t *testing.T) {
	tests := []struct {
		in        string
		birth     string
		sex       string
		ok        bool
		checkChar byte
	}{
		{"33110219880719016X", "1988-07-19", "女", true, 'X'}, // public.json
		{"33110219880719016x", "1988-07-19", "女", true, 'X'}, // lower-case x
		{"330102201309300278", "2013-09-30", "男", true, '8'}, // public.json
		{"11010519491231002X", "1949-12-31", "女", true, 'X'}, // widely published sample
		{"330102201309300277", "", "", false, '8'},           // wrong check digit
		{"33110219880719016", "", "", false, 0},              // 17 characters
		{"3311021988071901600", "", "", false, 0},            // 19 characters
		{"3311021988071901A6X", "", "", false, 0},            // letter in the body
		{mkID("19990230", "011"), "", "", false, 0},          // 30 February
		{mkID("20230229", "011"), "", "", false, 0},          // 2023 not a leap year
		{mkID("20240229", "012"), "2024-02-29", "女", true, 0},
		{mkID("18991231", "011"), "", "", false, 0}, // before 1900
		{"", "", "", false, 0},
	}
	for _, tc := range tests {
		birth, sex, ok := ValidIDNumber(tc.in)
		if birth != tc.birth || sex != tc.sex || ok != tc.ok {
			t.Errorf("ValidIDNumber(%q) = %q, %q, %v; want %q, %q, %v", tc.in, birth, sex, ok, tc.birth, tc.sex, tc.ok)
		}
		if tc.checkChar != 0 {
			if c := IDCheckChar(tc.in[:17]); c != tc.checkChar {
				t.Errorf("IDCheckChar(%q) = %q, want %q", tc.in[:17], c, tc.checkChar)
			}
		}
	}
	if c := IDCheckChar("3311021988071901A"); c != 0 {
		t.Errorf("IDCheckChar with a letter = %q, want 0", c)
	}
}

func TestValidCreditCode(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"91330421MA28ABCDE4", true},  // public.json: check character 4 is right
		{"91330421MA28ABCDE5", false}, // wrong check character
		{"91350100M000100Y43", true},  // widely published sample
		{"91330421MA28ABCDI4", false}, // I is not in the charset
		{"91330421MA28ABCDO4", false}, // O
		{"91330421MA28ABCDZ4", false}, // Z
		{"91330421MA28ABCDS4", false}, // S
		{"91330421MA28ABCDV4", false}, // V
		{"91330421ma28abcde4", false}, // lower case (Validate upper-cases first)
		{"91330421MA28ABCDE", false},  // 17 characters
		{"", false},
		{mkCredit("12100000000000000"), true},
	}
	for _, tc := range tests {
		if got := ValidCreditCode(tc.in); got != tc.ok {
			t.Errorf("ValidCreditCode(%q) = %v, want %v", tc.in, got, tc.ok)
		}
	}
	if c := CreditCodeCheckChar("91330421MA28ABCDE"); c != '4' {
		t.Errorf("CreditCodeCheckChar = %q, want '4'", c)
	}
	// A sum divisible by 31 maps to 0 (31 → 0).
	if c := CreditCodeCheckChar("00000000000000000"); c != '0' {
		t.Errorf("CreditCodeCheckChar(zeros) = %q, want '0'", c)
	}
	if c := CreditCodeCheckChar("9133042IMA28ABCDE"); c != 0 {
		t.Errorf("CreditCodeCheckChar with I = %q, want 0", c)
	}
}
