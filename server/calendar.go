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

func calendarYear(c *gin.Context, raw string) (int, error) {
	y, err := strconv.Atoi(raw)
	if err != nil || y < 2000 || y > 2100 {
		return 0, &errs.Error{Code: errs.Invalid, Message: "年份应在2000至2100之间", Fields: map[string]string{"year": "年份应在2000至2100之间"}}
	}
	return y, nil
}

// handleGetCalendar answers one year's official days off on weekdays and
// make-up working days (the current year by default).
func (s *Server) handleGetCalendar(c *gin.Context) {
	y, err := calendarYear(c, c.DefaultQuery("year", s.today()[:4]))
	if err != nil {
		s.fail(c, err)
		return
	}
	h, w, err := s.store.CalendarYear(c.Request.Context(), y)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, calendarJSON{Year: y, Holidays: h, Workdays: w})
}

// handlePutCalendar replaces one year's calendar with the State Council's
// holiday arrangement: {"holidays": [...], "workdays": [...]}.
func (s *Server) handlePutCalendar(c *gin.Context) {
	y, err := calendarYear(c, c.Param("year"))
	if err != nil {
		s.fail(c, err)
		return
	}
	var req calendarJSON
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := s.store.SetCalendarYear(ctx, actor(c), y, req.Holidays, req.Workdays); err != nil {
		s.fail(c, err)
		return
	}
	h, w, err := s.store.CalendarYear(ctx, y)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, calendarJSON{Year: y, Holidays: h, Workdays: w})
}
