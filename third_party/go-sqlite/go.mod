module github.com/glebarez/go-sqlite

go 1.17

require (
	github.com/google/pprof v0.0.0-20221118152302-e6195bd50e26
	golang.org/x/sys v0.7.0
	modernc.org/libc v1.22.5
	modernc.org/mathutil v1.5.0
	modernc.org/sqlite v1.23.1
)

require (
	github.com/dustin/go-humanize v1.0.1 // indirect
	github.com/google/uuid v1.3.0 // indirect
	github.com/mattn/go-isatty v0.0.17 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	modernc.org/memory v1.5.0 // indirect
)
