//! Finds the native library through pkg-config: an installed enough (`cmake --install`,
//! or a distribution's package) provides `enough.pc`. That is how -sys crates find C
//! libraries, and it keeps one copy of the library per process: Rust, C and Python code
//! in one program share the same objects. Set PKG_CONFIG_PATH to the install's
//! `lib/pkgconfig`. The crate's own tests and examples get an rpath to that libdir;
//! a program depending on the crate runs with the library on its loader path.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    let library = pkg_config::Config::new()
        .atleast_version("0.2")
        .probe("enough")
        .expect("enough not found by pkg-config: install it (cmake --install) and set PKG_CONFIG_PATH");
    for dir in &library.link_paths {
        println!("cargo:rustc-link-arg-tests=-Wl,-rpath,{}", dir.display());
        println!("cargo:rustc-link-arg-examples=-Wl,-rpath,{}", dir.display());
        println!("cargo:libdir={}", dir.display()); // DEP_ENOUGH_LIBDIR for dependents
    }
    #[cfg(feature = "c-example")]
    {
        println!("cargo:rerun-if-changed=csrc/decode_example.c");
        cc::Build::new()
            .file("csrc/decode_example.c")
            .includes(&library.include_paths)
            .compile("enough_cancel_decode_example");
    }
}
