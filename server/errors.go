package main

import (
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

// fail answers err as JSON. Internal errors are logged with the request id
// and answered with a generic message.
func (s *Server) fail(c *gin.Context, err error) {
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal || e.Code == "" {
		reqLog(c).Error("internal error", "err", err)
		e = &errs.Error{Code: errs.Internal, Message: "服务器内部错误，请稍后再试"}
	}
	c.AbortWithStatusJSON(status(e.Code), errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, Fields: e.Fields}})
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
