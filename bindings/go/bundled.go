//go:build !enough_system

package enough

// By default the module compiles the library from its sources into the program, as
// the C++ files zz_core_*.cpp beside this one (each includes one file of core/src/)
// ask cgo to, with the system libraries zz_core_libraries_*.go name: a packaged module carries core/ and those files (stage.sh makes them;
// they are never committed), so a downstream module needs nothing installed but a
// C++20 compiler. The library is private to the program: every symbol is hidden, and
// tokens still cross to other copies of it by their vtables. In a checkout of the
// repository, run stage.sh first, or build with -tags enough_system.

// #cgo CPPFLAGS: -DENOUGH_STATIC -I${SRCDIR}/core/include -I${SRCDIR}/core/abi
// #cgo CPPFLAGS: -I${SRCDIR}/core/src -I${SRCDIR}/core/third_party/gsl
// #cgo CXXFLAGS: -std=c++20 -fvisibility=hidden -fvisibility-inlines-hidden
// #cgo windows LDFLAGS: -static
import "C"

// On Windows, cgo's compiler is mingw-w64's: -static links its C++ runtime in, so the
// program needs no libstdc++-6.dll or libwinpthread-1.dll beside it.
