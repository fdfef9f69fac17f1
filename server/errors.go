package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
	case errs.Forbidden:
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
// not JSON or has wrong types is bad_request; a body over the cap too.
func bindJSON(c *gin.Context, v any) error {
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)
	dec := json.NewDecoder(body)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return errs.E(errs.BadRequest, "请求内容超过%d KB上限", maxJSONBody>>10)
		case errors.Is(err, io.EOF):
			return errs.E(errs.BadRequest, "请求内容为空，应为JSON")
		case errors.As(err, &typeErr):
			field := typeErr.Field
			if field == "" {
				field = "请求内容"
			}
			return &errs.Error{Code: errs.BadRequest, Message: fmt.Sprintf("字段 %s 的类型不正确，应为%s", field, jsonTypeName(typeErr.Type.Kind().String())),
				Fields: map[string]string{field: "类型不正确"}}
		default:
			return errs.E(errs.BadRequest, "请求内容不是有效的JSON")
		}
	}
	if dec.More() {
		return errs.E(errs.BadRequest, "请求内容不是有效的JSON：末尾有多余内容")
	}
	return nil
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
