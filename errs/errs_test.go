package errs

import (
	"errors"
	"testing"
)

func TestWrapKeepsCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   error
		code string
		msg  string
	}{
		{"plain error", errors.New("disk full"), Internal, "服务器内部错误"},
		{"not found", E(NotFound, "文书不存在"), NotFound, "文书不存在"},
		{"conflict", E(Conflict, "文书已签发"), Conflict, "文书已签发"},
		{"unavailable", E(Unavailable, "数据库暂时无法访问"), Unavailable, "数据库暂时无法访问"},
		{"internal", Wrap(errors.New("x"), "inner"), Internal, "服务器内部错误"},
		{"field", Field("date", "送达日期不能晚于今天"), Invalid, "送达日期不能晚于今天"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Wrap(tc.in, "load %s", "document")
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.code || e.Message != tc.msg {
				t.Fatalf("Wrap(%v) = %#v", tc.in, err)
			}
			if !errors.Is(err, tc.in) {
				t.Errorf("Wrap lost its cause")
			}
		})
	}
	if Wrap(nil, "x") != nil {
		t.Error("Wrap(nil) is not nil")
	}
	f := Field("date", "送达日期不能晚于今天")
	if f.Fields["date"] != f.Message || Code(f) != Invalid {
		t.Errorf("Field = %#v", f)
	}
}
