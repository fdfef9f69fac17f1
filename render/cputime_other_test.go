//go:build !unix

package render

// cpuTime is not measured on this platform (cpu-ms/op reads 0).
func cpuTime() int64 { return 0 }
