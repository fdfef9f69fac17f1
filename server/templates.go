package main

// defaultTemplates returns the bodies loaded as version 1 on first start.
func defaultTemplates() map[string]string { return nil }
