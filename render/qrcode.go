package render

import (
	"errors"
	"sync"

	"rsc.io/qr/coding"
)

// qrEncode is rsc.io/qr's Encode at level M with the plan of each version
// built once per process: building a plan (function patterns, module
// order, mask) is nine tenths of Encode's time, and the plan depends only
// on the version, not on the text. Plan.Encode only reads the plan. The
// modules are the same as qr.Encode(text, qr.M)'s (TestQREncodeSame).
func qrEncode(text string) (*coding.Code, error) {
	var enc coding.Encoding
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	default:
		enc = coding.String(text)
	}
	v := coding.Version(coding.MinVersion)
	for ; ; v++ {
		if v > coding.MaxVersion {
			return nil, errors.New("text too long to encode as QR")
		}
		if enc.Bits(v) <= v.DataBytes(coding.M)*8 {
			break
		}
	}
	p, err := qrPlans[v]()
	if err != nil {
		return nil, err
	}
	return p.Encode(enc)
}

// qrPlans are the level M, mask 0 plans (what qr.Encode uses) by version.
var qrPlans = func() (plans [coding.MaxVersion + 1]func() (*coding.Plan, error)) {
	for v := range plans {
		plans[v] = sync.OnceValues(func() (*coding.Plan, error) {
			return coding.NewPlan(coding.Version(v), coding.M, 0)
		})
	}
	return plans
}()
