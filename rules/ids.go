package rules

import "strings"

// GB 11643-1999 resident identity number.
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idChecks  = "10X98765432"
)

// IDCheckChar returns the GB 11643 check character for the first 17 digits
// of a resident identity number, or 0 when first17 is not 17 ASCII digits.
func IDCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idChecks[sum%11]
}

// ValidIDNumber checks an 18-character resident identity number: 17 digits,
// a GB 11643 check character (a lower-case x is accepted) and a real birth
// date (digits 7-14, year 1900 or later). It returns the birth date as
// YYYY-MM-DD and the sex from the 17th digit (odd 男, even 女).
func ValidIDNumber(s string) (birth string, sex string, ok bool) {
	if len(s) != 18 {
		return "", "", false
	}
	c := IDCheckChar(s[:17])
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	if c == 0 || c != last {
		return "", "", false
	}
	b, okDate := parseDate(s[6:10] + "-" + s[10:12] + "-" + s[12:14])
	if !okDate || b.y < 1900 {
		return "", "", false
	}
	sex = "女"
	if (s[16]-'0')%2 == 1 {
		sex = "男"
	}
	return b.String(), sex, true
}

// GB 32100-2015 unified social credit code.
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY" // 31 characters: no I O Z S V

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheckChar returns the GB 32100 check character for the first
// 17 characters of a unified social credit code, or 0 when first17 has the
// wrong length or a character outside the code's charset.
func CreditCodeCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCharset, first17[i])
		if v < 0 {
			return 0
		}
		sum += v * creditWeights[i]
	}
	v := 31 - sum%31
	if v == 31 {
		v = 0
	}
	return creditCharset[v]
}

// ValidCreditCode checks an 18-character unified social credit code: upper
// case characters from 0-9 A-H J-N P-R T U W-Y and the GB 32100 check
// character. Only the check character is verified, as shared/LEGAL.md
// specifies; the embedded GB 11714 organisation code is not.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	c := CreditCodeCheckChar(s[:17])
	return c != 0 && c == s[17]
}
