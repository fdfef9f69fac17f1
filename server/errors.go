package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
)

// Body limits.
const (
	maxJSONBody   = 1 << 20
	maxUploadBody = 20 << 20
)

var (
	errNotFound   = errs.E(errs.NotFound, "请求的资源不存在")
	errNoTemplate = errs.E(errs.NotFound, "没有这种文书模板")
)

// status maps an error code to its HTTP status, once for the whole service.
func status(code string) int {
	switch code {
	case errs.BadRequest:
		return http.StatusBadRequest
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Forbidden, errs.PasswordChange:
		return http.StatusForbidden
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.TooManyRequests:
		return http.StatusTooManyRequests
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	case codeClientClosed:
		return statusClientClosed
	default:
		return http.StatusInternalServerError
	}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail answers err as JSON (see explain).
func (s *Server) fail(c *gin.Context, err error) {
	if e := explain(c, err); !clientGone(c, e) {
		answer(c, e)
	}
}

// answer writes an explained error as JSON.
func answer(c *gin.Context, e *errs.Error) {
	c.AbortWithStatusJSON(status(e.Code), errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, Fields: e.Fields}})
}

// A request its client gave up on is no error of ours: it is answered (to
// nobody) and counted with nginx's 499, and logged at info.
const (
	codeClientClosed   = "client_closed"
	statusClientClosed = 499
)

// clientGone answers e's request with 499 when its client gave up.
func clientGone(c *gin.Context, e *errs.Error) bool {
	if e.Code != codeClientClosed {
		return false
	}
	c.AbortWithStatus(statusClientClosed)
	return true
}

// retryAfter is the Retry-After of a 503, in seconds.
const retryAfter = "5"

var (
	errInternal        = &errs.Error{Code: errs.Internal, Message: "服务器内部错误，请稍后再试"}
	errRequestDeadline = &errs.Error{Code: errs.Unavailable, Message: "请求处理超时，请稍后再试"}
	errClientClosed    = &errs.Error{Code: codeClientClosed, Message: "请求已被客户端取消"}
)

// explain is err as the client is told it, logged as it deserves. A
// client's error (invalid, not found …) is answered as it is and not
// logged. Otherwise: a request cancelled by its client is no error (info,
// 499); one past its deadline, or a database that cannot be reached, is 503
// with Retry-After (warn); an internal error is logged with the request id
// (error) and answered with a generic message.
func explain(c *gin.Context, err error) *errs.Error {
	var e *errs.Error
	known := errors.As(err, &e) && e.Code != errs.Internal && e.Code != ""
	if !known || e.Code == errs.Unavailable {
		ctxErr := c.Request.Context().Err()
		switch {
		case errors.Is(ctxErr, context.Canceled):
			reqLog(c).Info("request cancelled by client", "status", statusClientClosed, "err", err)
			return errClientClosed
		case errors.Is(ctxErr, context.DeadlineExceeded):
			reqLog(c).Warn("request deadline exceeded", "err", err)
			e = errRequestDeadline
		case !known:
			reqLog(c).Error("internal error", "err", err)
			return errInternal
		default:
			reqLog(c).Warn("database unavailable", "err", err)
		}
		c.Header("Retry-After", retryAfter)
	}
	return e
}

func (s *Server) failStatus(c *gin.Context, st int, code, msg string) {
	c.AbortWithStatusJSON(st, errorBody{Error: errorDetail{Code: code, Message: msg}})
}

// bindJSON decodes the body into v, capped at maxJSONBody. A body that is
// not JSON or has wrong types is bad_request, naming the field by its JSON
// path (prior_violations[1].date); a body over the cap too.
func bindJSON(c *gin.Context, v any) error {
	_, err := readJSON(c, v, false)
	return err
}

// bindJSONObject is bindJSON for bodies that replace what they name (the
// calendar of a year, a case's statement): the body must be an object of
// known keys, none of them null; anything else is invalid (422), so a null
// or a misspelt key never wipes what is stored.
func bindJSONObject(c *gin.Context, v any, firstKey string) error {
	body, err := readJSON(c, v, true)
	if err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil || keys == nil {
		return errs.Field(firstKey, "请求内容应为JSON对象，不能为空或null")
	}
	if len(keys) == 0 {
		return errs.Field(firstKey, "请求内容为空对象：请写明要保存的内容")
	}
	f := errs.Fields{}
	for k, raw := range keys {
		if string(bytes.TrimSpace(raw)) == "null" {
			f.Add(k, "不能为null")
		}
	}
	return f.Err()
}

// readJSON reads the body (capped) and decodes it into v; strict refuses
// unknown keys (invalid, naming the key). It returns the body.
func readJSON(c *gin.Context, v any, strict bool) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errs.E(errs.BadRequest, "请求内容超过%d KB上限", maxJSONBody>>10)
		}
		return nil, errs.E(errs.BadRequest, "无法读取请求内容")
	}
	body = bytes.TrimLeft(body, " \t\r\n") // offsets of errors count from the value
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, errs.E(errs.BadRequest, "请求内容为空，应为JSON")
		case errors.As(err, &typeErr):
			field := jsonPathAt(body, typeErr.Offset)
			if field == "" {
				field = "请求内容"
			}
			return nil, &errs.Error{Code: errs.BadRequest, Message: fmt.Sprintf("字段 %s 的类型不正确，应为%s", field, jsonTypeName(typeErr.Type.Kind().String())),
				Fields: map[string]string{field: "类型不正确"}}
		case strict && strings.HasPrefix(err.Error(), "json: unknown field "):
			key, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
			return nil, errs.Field(key, fmt.Sprintf("未知字段“%s”，请检查拼写", key))
		default:
			return nil, errs.E(errs.BadRequest, "请求内容不是有效的JSON")
		}
	}
	if dec.More() {
		return nil, errs.E(errs.BadRequest, "请求内容不是有效的JSON：末尾有多余内容")
	}
	return body, nil
}

// jsonPathAt is the JSON path (party.name, evidence[1],
// prior_violations[0].date) of the value that ends at offset in data, or
// that opens there for an object or array: where encoding/json reports a
// type error. "" for the whole body.
func jsonPathAt(data []byte, offset int64) string {
	type frame struct {
		object  bool
		key     string
		index   int
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				fmt.Fprintf(&b, "[%d]", f.index)
			}
		}
		return b.String()
	}
	done := func() { // a value ended: the parent moves on
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		n := len(stack)
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:n-1]
			done()
			continue
		}
		if n > 0 && stack[n-1].object && stack[n-1].wantKey {
			stack[n-1].key, _ = tok.(string)
			stack[n-1].wantKey = false
			continue
		}
		if dec.InputOffset() >= offset {
			return path()
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{object: d == '{', wantKey: d == '{'})
			continue
		}
		done()
	}
}

func jsonTypeName(kind string) string {
	switch {
	case kind == "string":
		return "字符串"
	case kind == "bool":
		return "布尔值"
	case kind == "slice" || kind == "array":
		return "数组"
	case kind == "struct" || kind == "map":
		return "对象"
	case strings.HasPrefix(kind, "int") || strings.HasPrefix(kind, "uint") || strings.HasPrefix(kind, "float"):
		return "数字"
	default:
		return kind
	}
}
