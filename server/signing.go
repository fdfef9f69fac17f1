package main

// The digital signature (docs/signing.md): an authority's signing
// certificate on its admin page and in the API (the PKCS #12 upload; the
// certificate downloadable, the key never), and the verify page's check
// of an uploaded copy, which is read, checked and dropped.

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
)

// readUpload reads the multipart file field of c, up to limit bytes; nil
// when none was chosen.
func readUpload(c *gin.Context, field string, limit int64, tooLarge string) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil || fh.Size == 0 {
		return nil, nil
	}
	if fh.Size > limit {
		return nil, errs.E(errs.Invalid, "%s", tooLarge)
	}
	return readPart(fh, limit)
}

func readPart(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, errs.E(errs.BadRequest, "上传的文件无法读取，请重新选择")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, errs.E(errs.BadRequest, "上传的文件无法读取，请重新选择")
	}
	return b, nil
}

// uploadSigningKey reads the PKCS #12 form (file p12, field password) and
// hands it to casework; the password is not kept.
func (s *Server) uploadSigningKey(c *gin.Context, id uint) (*models.SigningKey, error) {
	if mf := c.Request.MultipartForm; mf != nil {
		defer mf.RemoveAll()
	}
	p12, err := readUpload(c, "p12", casework.MaxPKCS12Bytes, "证书文件过大（不超过1 MB）")
	if err != nil {
		return nil, err
	}
	return s.work.UploadSigningKey(c.Request.Context(), s.actor(c), id, p12, c.PostForm("password"))
}

// handleAdminUploadSigningKey: POST /admin/authorities/:id/signing.
func (s *Server) handleAdminUploadSigningKey(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	if _, err = s.uploadSigningKey(c, id); err == nil {
		done(c, "/admin/authorities/"+strconv.FormatUint(uint64(id), 10), "signing_key")
		return
	}
	e := invalidError(err)
	if e == nil {
		s.uiError(c, err)
		return
	}
	ctx, a := c.Request.Context(), s.actor(c)
	au, aerr := s.work.Authority(ctx, a, id)
	if aerr != nil {
		s.uiError(c, aerr)
		return
	}
	p := adminAuthorityPage{uiBase: s.base(c, "", "admin"), ID: id, HasSeal: len(au.SealPNG) > 0, Form: authorityFormOf(au)}
	p.Signing, _ = s.work.SigningCertificate(ctx, a, id)
	p.SigningError = e.Message
	s.authorityPage(c, status(e.Code), p)
}

// handleAdminCertificate: GET /admin/authorities/:id/certificate.pem, the
// authority's signing certificate (public; never the key).
func (s *Server) handleAdminCertificate(c *gin.Context) {
	id, err := pathID(c)
	var cert []byte
	if err == nil {
		cert, err = s.work.SigningCertificatePEM(c.Request.Context(), s.actor(c), id)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="certificate-`+strconv.FormatUint(uint64(id), 10)+`.pem"`)
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/x-pem-file", cert)
}

// handleGetSigningKey: GET /api/v1/authorities/:id/signing, the
// certificate's facts (null when none yet).
func (s *Server) handleGetSigningKey(c *gin.Context) {
	id, err := pathID(c)
	var k *models.SigningKey
	if err == nil {
		k, err = s.work.SigningCertificate(c.Request.Context(), s.actor(c), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"certificate": k})
}

// handleUploadSigningKey: POST /api/v1/authorities/:id/signing, multipart
// p12 and password.
func (s *Server) handleUploadSigningKey(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, casework.MaxPKCS12Bytes+64<<10)
	if err := c.Request.ParseMultipartForm(casework.MaxPKCS12Bytes + 64<<10); err != nil {
		s.fail(c, errs.E(errs.BadRequest, "请以multipart/form-data上传p12文件和password"))
		return
	}
	k, err := s.uploadSigningKey(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"certificate": k})
}

// handleVerifyCheck: POST /verify/:token/check, an uploaded copy (file)
// checked against the issued document: its SHA-256 and its signature. The
// file is read into memory, checked and dropped.
func (s *Server) handleVerifyCheck(c *gin.Context) {
	asJSON := strings.Contains(c.GetHeader("Accept"), "application/json")
	var file []byte
	var err error
	select {
	case s.checks <- struct{}{}: // memory: a bounded number of uploads at once
		defer func() { <-s.checks }()
		if s.checkHeld != nil {
			s.checkHeld()
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, casework.MaxCheckBytes+64<<10)
		err = c.Request.ParseMultipartForm(1 << 20)
		if mf := c.Request.MultipartForm; mf != nil {
			defer mf.RemoveAll()
		}
		if err != nil {
			err = errs.E(errs.BadRequest, "文件过大（不超过%d MB）或无法读取", casework.MaxCheckBytes>>20)
		} else if file, err = readUpload(c, "file", casework.MaxCheckBytes, "文件过大"); err == nil && file == nil {
			err = errs.E(errs.BadRequest, "请选择要核对的PDF文件")
		}
	default:
		err = errs.E(errs.TooManyRequests, "同时核对的文件较多，请稍后再试")
	}
	var view *casework.Verification
	var fc *casework.FileCheck
	if err == nil {
		view, fc, err = s.work.CheckFile(c.Request.Context(), c.Param("token"), file)
	}
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			err = errs.E(errs.NotFound, "未找到该文书")
		}
		if asJSON {
			s.fail(c, err)
			return
		}
		e := explain(c, err)
		if clientGone(c, e) {
			return
		}
		if view == nil && e.Code != errs.BadRequest && e.Code != errs.TooManyRequests {
			s.page(c, status(e.Code), "verify", verifyPage{Title: "文书核验", Unavailable: e.Message})
			return
		}
		if view, _ = s.work.Verify(c.Request.Context(), c.Param("token")); view == nil {
			s.page(c, http.StatusNotFound, "verify", verifyPage{Title: "文书核验"})
			return
		}
		s.page(c, status(e.Code), "verify", verifyPage{Title: "文书核验", Found: true, Verdict: verdictOf(view), Doc: *view, CheckError: e.Message})
		return
	}
	if asJSON {
		c.JSON(http.StatusOK, fc)
		return
	}
	s.page(c, http.StatusOK, "verify", verifyPage{Title: "文书核验", Found: true, Verdict: verdictOf(view), Doc: *view, Check: fc})
}
