//go:build enough_system

package enough

// With the build tag enough_system, the module links an installed enough, found with
// pkg-config (set PKG_CONFIG_PATH to the install's lib/pkgconfig): every language in
// the process then shares one copy of the library.

// #cgo pkg-config: enough
import "C"
