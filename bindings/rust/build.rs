//! Builds the native library into the crate, or finds an installed one.
//!
//! - `bundled` (a default feature): compiles the library's C++20 sources with the `cc`
//!   crate, as libgit2-sys and zstd-sys do, so that nothing but a C++20 compiler is
//!   needed. A packaged crate carries the sources and GSL's headers in `core/`
//!   (`scripts/stage-core` puts them there; never committed); a checkout of the
//!   repository builds from the folders around it. The library is static and every
//!   symbol in it hidden: it is private to the program, and a token still crosses to C,
//!   Python or Node code in the same process, because objects travel with their vtables.
//! - `ENOUGH_NO_BUNDLE=1`, or `default-features = false`: pkg-config finds an installed
//!   enough (`cmake --install`, or a distribution's package), so that every language in
//!   a process shares one copy of the library. Set PKG_CONFIG_PATH to the install's
//!   `lib/pkgconfig`; the crate's own tests and examples get an rpath to its libdir.
//!
//! - On docs.rs (DOCS_RS set; scripts/docs sets it too), nothing is built or found:
//!   documentation needs no native library, and docs.rs has no network for pkg-config's.
//!
//! Dependents' build scripts read DEP_ENOUGH_INCLUDE (the headers) and, with
//! pkg-config, DEP_ENOUGH_LIBDIR.
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ENOUGH_NO_BUNDLE");
    println!("cargo:rerun-if-env-changed=DOCS_RS");
    if std::env::var_os("DOCS_RS").is_some() {
        return;
    }
    let bundle = cfg!(feature = "bundled") && std::env::var_os("ENOUGH_NO_BUNDLE").map_or(true, |v| v != "1");
    let include_paths = if bundle { build_bundled() } else { find_installed() };
    for dir in &include_paths {
        println!("cargo:include={}", dir.display()); // DEP_ENOUGH_INCLUDE
    }
    #[cfg(feature = "c-example")]
    {
        println!("cargo:rerun-if-changed=csrc/decode_example.c");
        let mut example = cc::Build::new();
        example.file("csrc/decode_example.c").includes(&include_paths);
        if bundle {
            example.define("ENOUGH_STATIC", None);
        }
        example.compile("enough_cancel_decode_example");
    }
}

/// pkg-config's enough; returns its include paths.
fn find_installed() -> Vec<PathBuf> {
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    let library = pkg_config::Config::new().atleast_version("0.2").probe("enough").expect(
        "enough not found by pkg-config: install it (cmake --install) and set PKG_CONFIG_PATH, \
         or build with the `bundled` feature (the default) and without ENOUGH_NO_BUNDLE=1",
    );
    for dir in &library.link_paths {
        println!("cargo:rustc-link-arg-tests=-Wl,-rpath,{}", dir.display());
        println!("cargo:rustc-link-arg-examples=-Wl,-rpath,{}", dir.display());
        println!("cargo:libdir={}", dir.display()); // DEP_ENOUGH_LIBDIR for dependents
    }
    library.include_paths
}

#[cfg(not(feature = "bundled"))]
fn build_bundled() -> Vec<PathBuf> {
    unreachable!("bundle is false without the feature")
}

/// Compiles the core into a static library of this crate; returns its public headers.
#[cfg(feature = "bundled")]
fn build_bundled() -> Vec<PathBuf> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let core = [manifest.join("core"), manifest.join("../..")]
        .into_iter()
        .find(|dir| dir.join("src/sources.txt").is_file())
        .expect("the library's sources: neither core/ (a packaged crate) nor a repository checkout around the crate");
    let src = core.join("src");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let unix = std::env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default().split(',').any(|f| f == "unix");
    // The backend a CMake build picks for the same system (src/CMakeLists.txt).
    let platform = match os.as_str() {
        "linux" | "android" => "linux",
        "windows" => "win32",
        _ if unix => "posix",
        _ => panic!("enough has no platform backend for target_os {os} (src/platform/)"),
    };
    let platform_dir = src.join("platform").join(platform);
    let mut build = cc::Build::new();
    build.cpp(true).std("c++20").define("ENOUGH_STATIC", None);
    build.flag_if_supported("-fvisibility=hidden").flag_if_supported("-fvisibility-inlines-hidden");
    for file in read_list(&src.join("sources.txt")).into_iter().chain(read_list(&platform_dir.join("sources.txt"))) {
        build.file(src.join(file));
    }
    let gsl = core.join("third_party/gsl"); // a packaged crate's copy; a checkout uses the system's
    if gsl.is_dir() {
        build.include(&gsl);
    }
    let public = vec![core.join("abi"), core.join("include")];
    build.include(&src).includes(&public);
    build.compile("enough_bundled");
    let libraries = platform_dir.join("libraries.txt");
    if libraries.is_file() {
        for library in read_list(&libraries) {
            println!("cargo:rustc-link-lib={library}");
        }
    }
    println!("cargo:rerun-if-changed={}", core.join("src").display());
    println!("cargo:rerun-if-changed={}", core.join("abi").display());
    println!("cargo:rerun-if-changed={}", core.join("include").display());
    public
}

/// A list file of the library's (src/sources.txt): one entry per line, `#` comments.
#[cfg(feature = "bundled")]
fn read_list(path: &std::path::Path) -> Vec<String> {
    println!("cargo:rerun-if-changed={}", path.display());
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(String::from)
        .collect()
}
