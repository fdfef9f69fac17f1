package main

import (
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

type itemJSON struct {
	ID uint `json:"id"`
	rules.Item
	Active bool `json:"active"`
}

func toItemJSON(ci *models.CatalogItem) itemJSON {
	return itemJSON{ID: ci.ID, Item: ci.Rule(), Active: ci.Active}
}

// handleListCatalog lists the items new cases may name; ?all=1 adds the
// retired ones.
func (s *Server) handleListCatalog(c *gin.Context) {
	list := s.work.Catalog
	if c.Query("all") == "1" || c.Query("all") == "true" {
		list = s.work.CatalogAll
	}
	items, err := list(c.Request.Context(), s.actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]itemJSON, len(items))
	for i := range items {
		out[i] = toItemJSON(&items[i])
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

func (s *Server) handleCreateItem(c *gin.Context) {
	var it rules.Item
	if err := bindJSON(c, &it); err != nil {
		s.fail(c, err)
		return
	}
	row, err := s.work.CreateItem(c.Request.Context(), s.actor(c), it)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toItemJSON(row))
}

func (s *Server) handleUpdateItem(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var it rules.Item
	if err := bindJSON(c, &it); err != nil {
		s.fail(c, err)
		return
	}
	row, err := s.work.UpdateItem(c.Request.Context(), s.actor(c), id, it)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toItemJSON(row))
}

// itemActive retires (active false) or reactivates a catalogue item.
func (s *Server) itemActive(active bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		row, err := s.work.SetItemActive(c.Request.Context(), s.actor(c), id, active)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, toItemJSON(row))
	}
}

// handleImportCatalog takes a CSV or XLSX list (multipart "file" or the raw
// body) in the layout published lists use; any bad row refuses the import
// and nothing is stored. The case work reads the file as a stream.
func (s *Server) handleImportCatalog(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUploadBody)
	file, name, err := uploadedFile(c)
	if mf := c.Request.MultipartForm; mf != nil {
		defer mf.RemoveAll()
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	defer file.Close()
	opts := casework.ImportOptions{
		CodePrefix: strings.TrimSpace(c.DefaultQuery("code_prefix", "QD")),
		Domain:     c.DefaultQuery("domain", rules.DomainOther),
		ListType:   c.DefaultQuery("list_type", "first_offense"),
	}
	res, err := s.work.ImportCatalog(c.Request.Context(), s.actor(c), name, file, opts)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"created": res.Created, "updated": res.Updated, "total": res.Total})
}

// uploadedFile opens the "file" part of a multipart form, or the raw body.
func uploadedFile(c *gin.Context) (io.ReadCloser, string, error) {
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		return multipartFile(c, "请在表单字段 file 中上传CSV或XLSX文件")
	}
	name := "upload.csv"
	if strings.Contains(c.ContentType(), "spreadsheetml") {
		name = "upload.xlsx"
	}
	return c.Request.Body, name, nil // the case work caps what it reads, below maxUploadBody
}

// multipartFile opens the non-empty "file" part of a multipart form (parsed
// here when the caller has not), answering missing with bad_request when
// there is none.
func multipartFile(c *gin.Context, missing string) (io.ReadCloser, string, error) {
	if c.Request.MultipartForm == nil {
		// Keep at most 1 MB in memory; the rest of the file waits on disk.
		if err := c.Request.ParseMultipartForm(1 << 20); err != nil {
			return nil, "", errs.E(errs.BadRequest, "上传的文件超过%d MB上限或无法读取", maxUploadBody>>20)
		}
	}
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return nil, "", errs.E(errs.BadRequest, "%s", missing)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", errs.E(errs.BadRequest, "无法读取上传的文件")
	}
	return f, fh.Filename, nil
}
