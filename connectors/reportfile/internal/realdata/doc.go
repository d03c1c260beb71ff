// Package realdata locates the shared folder of public sample report
// files (../shared/realdata next to the module root) for tests. The files
// are never copied into the module; tests that need them skip when the
// folder is absent.
package realdata
