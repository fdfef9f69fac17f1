package main

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
)

type calendarJSON struct {
	Year     int      `json:"year"`
	Holidays []string `json:"holidays"`
	Workdays []string `json:"workdays"`
}

// calendarYear reads a year from a path or query value.
func calendarYear(raw string) (int, error) {
	y, err := strconv.Atoi(raw)
	if err != nil || y < 2000 || y > 2100 {
		return 0, errs.Field("year", "年份应在2000至2100之间")
	}
	return y, nil
}

// handleGetCalendar answers one year's official days off on weekdays and
// make-up working days (the current year by default).
func (s *Server) handleGetCalendar(c *gin.Context) {
	y, err := calendarYear(c.DefaultQuery("year", s.work.Today()[:4]))
	if err != nil {
		s.fail(c, err)
		return
	}
	h, w, err := s.work.Calendar(c.Request.Context(), s.actor(c), y)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, calendarJSON{Year: y, Holidays: h, Workdays: w})
}

// handlePutCalendar replaces one year's calendar with the State Council's
// holiday arrangement: {"holidays": [...], "workdays": [...]}. A null, an
// empty object or a misspelt key is refused, never taken as "no days".
func (s *Server) handlePutCalendar(c *gin.Context) {
	y, err := calendarYear(c.Param("year"))
	if err != nil {
		s.fail(c, err)
		return
	}
	var req calendarJSON
	if err := bindJSONObject(c, &req, "holidays"); err != nil {
		s.fail(c, err)
		return
	}
	if req.Holidays == nil && req.Workdays == nil {
		s.fail(c, errs.Field("holidays", "请提供 holidays 和 workdays（清空某年时为空数组）"))
		return
	}
	ctx := c.Request.Context()
	if err := s.work.SetCalendar(ctx, s.actor(c), y, req.Holidays, req.Workdays); err != nil {
		s.fail(c, err)
		return
	}
	h, w, err := s.work.Calendar(ctx, s.actor(c), y)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, calendarJSON{Year: y, Holidays: h, Workdays: w})
}
