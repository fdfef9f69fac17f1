// Package errs is the service's one error type: a code that the HTTP layer
// maps to a status, a message for the user (Chinese) and, for invalid input,
// a message per field. Internal errors keep their cause for the log only.
package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Codes, as shared/API.md names them.
const (
	BadRequest      = "bad_request"
	Invalid         = "invalid"
	Unauthorized    = "unauthorized"
	Forbidden       = "forbidden"
	NotFound        = "not_found"
	Conflict        = "conflict"
	TooManyRequests = "too_many_requests"
	// PasswordChange: an admin reset the user's password; they must change
	// it before anything else (answered as 403).
	PasswordChange = "password_change_required"
	// Unavailable: the database cannot be reached or did not answer in
	// time, or the request ran out of time; the client may retry later.
	Unavailable = "unavailable"
	Internal    = "internal"
)

// Error is an application error.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	Err     error // cause, never shown to users
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error with a code and a formatted message.
func E(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field is an invalid error on one field, with msg as the message too.
func Field(field, msg string) *Error {
	return &Error{Code: Invalid, Message: msg, Fields: map[string]string{field: msg}}
}

// Wrap adds context to err for the log. An error that already carries a
// code (not found, conflict, invalid …) keeps it, with its message and
// fields; anything else becomes internal.
func Wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	cause := fmt.Errorf(format+": %w", append(args, err)...)
	var e *Error
	if errors.As(err, &e) && e.Code != "" && e.Code != Internal {
		return &Error{Code: e.Code, Message: e.Message, Fields: e.Fields, Err: cause}
	}
	return &Error{Code: Internal, Message: "服务器内部错误", Err: cause}
}

// Code returns the code of err, Internal when it carries none.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code string) bool { return err != nil && Code(err) == code }

// Fields collects per-field messages for one invalid error.
type Fields map[string]string

// Add records msg for field unless the field already has one.
func (f Fields) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when no field was added, else an Invalid error.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "提交的内容有误，请按提示修改", Fields: map[string]string(f)}
}
