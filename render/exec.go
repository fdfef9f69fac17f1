package render

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode"

	"penaltydoc/fonts"
)

// Limits bound one render. The zero value of a field means its default.
type Limits struct {
	Timeout       time.Duration // whole render; default 2 s
	MaxOutput     int           // bytes of executed template text; default 256 KiB
	MaxIterations int           // range iterations, all loops together; default 10,000
	MaxPages      int           // pages; default 60
	// MaxCalls bounds the function calls of one execution (every call
	// also checks the deadline); default 20,000, a hundred times what the
	// longest sample letter makes.
	MaxCalls int
	// MaxAlloc bounds the bytes that functions take in and give back, all
	// calls together (a string doubled by print is counted before it is
	// built); default 4 MiB.
	MaxAlloc int
}

// DefaultLimits are the limits New uses.
var DefaultLimits = Limits{Timeout: 2 * time.Second, MaxOutput: 256 << 10, MaxIterations: 10000, MaxPages: 60,
	MaxCalls: 20000, MaxAlloc: 4 << 20}

func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultLimits.Timeout
	}
	if l.MaxOutput <= 0 {
		l.MaxOutput = DefaultLimits.MaxOutput
	}
	if l.MaxIterations <= 0 {
		l.MaxIterations = DefaultLimits.MaxIterations
	}
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultLimits.MaxPages
	}
	if l.MaxCalls <= 0 {
		l.MaxCalls = DefaultLimits.MaxCalls
	}
	if l.MaxAlloc <= 0 {
		l.MaxAlloc = DefaultLimits.MaxAlloc
	}
	return l
}

// execState is one execution's budget.
type execState struct {
	ctx      context.Context
	iters    int
	maxIters int
	cal      Calendar
	out      []byte
	maxOut   int
	calls    int
	maxCalls int
	alloc    int
	maxAlloc int
}

// spend charges n bytes to the function budget; a call is refused before
// it builds what the budget cannot hold.
func (s *execState) spend(n int) error {
	s.alloc += n
	if s.alloc > s.maxAlloc {
		return &LimitError{Msg: fmt.Sprintf("模板函数处理的文本超过 %d KB（模板可能在反复拼接字符串）", s.maxAlloc>>10)}
	}
	return nil
}

// enter counts one function call and checks the deadline.
func (s *execState) enter() error {
	s.calls++
	if s.calls > s.maxCalls {
		return &LimitError{Msg: fmt.Sprintf("模板函数调用超过 %d 次", s.maxCalls)}
	}
	return s.check()
}

// guard wraps a template function so that every call is counted, checks
// the deadline, and charges its string arguments before and its string
// results after the call. A refusal panics with the *LimitError, which
// text/template turns into the execution's error.
func (s *execState) guard(fn any) any {
	v := reflect.ValueOf(fn)
	return reflect.MakeFunc(v.Type(), func(args []reflect.Value) []reflect.Value {
		if err := s.enter(); err != nil {
			panic(err)
		}
		if err := s.spend(sizeOf(args)); err != nil {
			panic(err)
		}
		var out []reflect.Value
		if v.Type().IsVariadic() {
			out = v.CallSlice(args)
		} else {
			out = v.Call(args)
		}
		if err := s.spend(sizeOf(out)); err != nil {
			panic(err)
		}
		return out
	}).Interface()
}

// sizeOf is the bytes of the strings among vs (strings, string slices, and
// either inside an interface).
func sizeOf(vs []reflect.Value) int {
	n := 0
	for _, v := range vs {
		n += sizeOfValue(v, 0)
	}
	return n
}

func sizeOfValue(v reflect.Value, depth int) int {
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Interface, reflect.Pointer:
		if !v.IsNil() && depth < 2 {
			return sizeOfValue(v.Elem(), depth+1)
		}
	case reflect.Slice, reflect.Array:
		if depth < 2 && v.Type().Elem().Kind() != reflect.Uint8 {
			n := 0
			for i := range v.Len() {
				n += sizeOfValue(v.Index(i), depth+1)
			}
			return n
		}
	}
	return 0
}

var errTimeout = &LimitError{Msg: "执行超时（模板可能有死循环或输出过多）"}

func (s *execState) check() error {
	if err := s.ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return errTimeout
		}
		return fmt.Errorf("渲染已取消：%w", err)
	}
	return nil
}

// Write collects the output, refusing it past the size limit.
func (s *execState) Write(p []byte) (int, error) {
	if len(s.out)+len(p) > s.maxOut {
		return 0, &LimitError{Msg: fmt.Sprintf("输出超过 %d KB（模板可能有死循环）", s.maxOut/1024)}
	}
	if err := s.check(); err != nil {
		return 0, err
	}
	s.out = append(s.out, p...)
	return len(p), nil
}

// funcs are the execution's functions: every base function guarded, and
// the ones that need the execution's state bound to it.
func (s *execState) funcs() template.FuncMap {
	m := template.FuncMap{}
	for name, fn := range baseFuncs() {
		if name != "_tick" {
			m[name] = s.guard(fn)
		}
	}
	for name, fn := range s.stateFuncs() {
		if name == "_tick" {
			m[name] = fn // the loop counter checks the deadline itself
		} else {
			m[name] = s.guard(fn)
		}
	}
	return m
}

func (s *execState) stateFuncs() template.FuncMap {
	return template.FuncMap{
		"_tick": func() (string, error) {
			s.iters++
			if s.iters > s.maxIters {
				return "", &LimitError{Msg: fmt.Sprintf("循环次数超过 %d 次", s.maxIters)}
			}
			if s.iters%64 == 0 {
				return "", s.check()
			}
			return "", nil
		},
		"addWorkdays": func(date string, n any) (string, error) {
			k, err := toInt(n)
			if err != nil {
				return "", err
			}
			return s.cal.AddWorkdays(date, k)
		},
		"nextWorkday": func(date string) (string, error) { return s.cal.NextWorkday(date) },
	}
}

// executor is a clone of a template with its functions bound to one
// execution state; executions take one from the template's pool, so that
// the guarded functions are made once per clone, not per render.
type executor struct {
	tmpl *template.Template
	st   *execState
}

func (t *Template) executor() (*executor, error) {
	if ex, ok := t.executors.Get().(*executor); ok {
		return ex, nil
	}
	tmpl, err := t.tmpl.Clone()
	if err != nil {
		return nil, fmt.Errorf("clone template: %w", err)
	}
	st := &execState{out: make([]byte, 0, 8<<10)}
	tmpl.Funcs(st.funcs())
	return &executor{tmpl: tmpl, st: st}, nil
}

// execute runs the template against d and returns the blocks to lay out.
func (t *Template) execute(ctx context.Context, d *Data, lim Limits) ([]block, error) {
	lim = lim.withDefaults()
	if err := checkData(d); err != nil {
		return nil, err
	}
	cal, err := NewCalendar(d.Holidays, d.Workdays)
	if err != nil {
		return nil, fmt.Errorf("节假日或调休工作日列表有误：%w", err)
	}
	ex, err := t.executor()
	if err != nil {
		return nil, err
	}
	defer t.executors.Put(ex)
	st := ex.st
	*st = execState{ctx: ctx, maxIters: lim.MaxIterations, cal: cal, maxOut: lim.MaxOutput,
		maxCalls: lim.MaxCalls, maxAlloc: lim.MaxAlloc, out: st.out[:0]}
	defer func() { st.ctx, st.cal = nil, Calendar{} }()
	if err := ex.tmpl.Execute(st, *d); err != nil {
		var le *LimitError
		if errors.As(err, &le) {
			if m := errLineRE.FindStringSubmatch(err.Error()); m != nil {
				l := *le
				l.Line, _ = strconv.Atoi(m[1])
				return nil, &l
			}
			return nil, le
		}
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, templateError(err)
	}
	return t.blocks(string(st.out)), nil
}

// block is one unit of the executed template, ready for layout.
type block struct {
	kind   byte
	line   int
	text   string
	cells  []string   // signature lines
	widths []float64  // table column widths
	rows   [][]string // table rows
}

// blocks splits the executed output at the line markers.
func (t *Template) blocks(out string) []block {
	var bs []block
	var table *block
	closeTable := func() {
		if table != nil && len(table.rows) > 0 {
			bs = append(bs, *table)
		}
		table = nil
	}
	for chunk := range strings.SplitSeq(out, string(mLine)) {
		if len(chunk) < 3 {
			continue
		}
		kind := chunk[0]
		head, text, ok := strings.Cut(chunk[1:], string(mText))
		if !ok {
			continue
		}
		line, _ := strconv.Atoi(head)
		if strings.ContainsAny(text, "\t\r") {
			text = strings.NewReplacer("\t", " ", "\r\n", "\n", "\r", "\n").Replace(text)
		}
		switch kind {
		case kTable:
			closeTable()
			table = &block{kind: kTable, line: line, widths: t.tables[line]}
			continue
		case kTableEnd:
			closeTable()
			continue
		case kRow:
			if table == nil { // @table skipped by an {{if}}: an implicit table
				table = &block{kind: kTable, line: line}
			}
			cells := strings.Split(text, string(mCell))
			empty := true
			for i, c := range cells {
				cells[i] = strings.TrimSpace(c)
				if cells[i] != "" {
					empty = false
				}
			}
			if !empty {
				table.rows = append(table.rows, cells)
			}
			continue
		}
		closeTable()
		switch kind {
		case kBlank, kPageBreak:
			bs = append(bs, block{kind: kind, line: line})
		case kSignature:
			var lines []string
			for c := range strings.SplitSeq(text, string(mCell)) {
				for l := range strings.SplitSeq(c, "\n") {
					if l = strings.TrimSpace(l); l != "" {
						lines = append(lines, l)
					}
				}
			}
			if len(lines) > 0 {
				bs = append(bs, block{kind: kind, line: line, cells: lines})
			}
		default:
			text = strings.ReplaceAll(text, string(mCell), "|")
			n := 0
			for p := range strings.SplitSeq(text, "\n") {
				if p = strings.TrimSpace(p); p != "" {
					bs = append(bs, block{kind: kind, line: line, text: p})
					n++
				}
			}
			if n == 0 && kind == kNumber {
				bs = append(bs, block{kind: kBlank, line: line})
			}
		}
	}
	closeTable()
	return bs
}

// checkData refuses control characters and characters the fonts lack in
// every string of d, naming the field.
func checkData(d *Data) error {
	return walkStrings(reflect.ValueOf(d).Elem(), nil)
}

func walkStrings(v reflect.Value, path []string) error {
	switch v.Kind() {
	case reflect.String:
		return checkField(v.String(), path)
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if !t.Field(i).IsExported() {
				continue
			}
			if err := walkStrings(v.Field(i), append(path, t.Field(i).Name)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // SealPNG
		}
		for i := range v.Len() {
			if err := walkStrings(v.Index(i), append(path, "["+strconv.Itoa(i)+"]")); err != nil {
				return err
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return walkStrings(v.Elem(), path)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if err := walkStrings(iter.Value(), append(path, "["+fmt.Sprint(iter.Key())+"]")); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkField(s string, path []string) error {
	ok := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c >= 0x7f {
			ok = false
			break
		}
	}
	if ok || drawable(s) {
		return nil
	}
	var bad []rune
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f || r > 0xffff ||
			(unicode.Is(unicode.Co, r)) {
			if !slices.Contains(bad, r) {
				bad = append(bad, r)
			}
		}
	}
	for _, r := range missing(s) {
		if !slices.Contains(bad, r) {
			bad = append(bad, r)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &UnsupportedCharError{Field: joinPath(path), Runes: bad}
}

// drawable reports whether checkField finds nothing wrong with s, in one
// pass over its characters (the common case: Chinese text both fonts
// have): each is a line break, a tab, a space, or a character that is not
// a control character, beyond the BMP or for private use, and that one of
// the fonts has (fonts.Missing's test).
func drawable(s string) bool {
	fang, song := fonts.FangSong(), fonts.Song()
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == ' ':
		case r < 0x20 || r == 0x7f || r > 0xffff || unicode.IsControl(r) || unicode.Is(unicode.Co, r):
			return false
		case !fang.Has(r) && !song.Has(r):
			return false
		}
	}
	return true
}

func joinPath(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if i > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
