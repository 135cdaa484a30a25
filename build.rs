//! Embeds the demo journal (assets/demo) into the binary as a list of files, so
//! `fieldnote demo` works from an installed binary with no files beside it; and
//! fingerprints the source of the cached types, so a load cache written by a build with
//! other types is never read (src/store/cache.rs).

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=assets");
    let root = manifest_dir().join("assets/demo");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every file of the demo journal: (path relative to its root, bytes).\npub static DEMO_FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("demo_files.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
    model_fingerprint();
}

/// The crate's folder, read when the script runs, not when it was compiled: a build
/// script is reused by any checkout that shares its target folder, and would read (or
/// embed) that other checkout's files.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .expect("cargo sets CARGO_MANIFEST_DIR")
        .into()
}

/// FNV-1a over the model's source files and the cache's own, in a fixed order.
fn model_fingerprint() {
    println!("cargo:rerun-if-changed=src/model");
    println!("cargo:rerun-if-changed=src/store/cache.rs");
    let manifest = manifest_dir();
    let mut files = Vec::new();
    collect(
        &manifest.join("src/model"),
        &manifest.join("src/model"),
        &mut files,
    );
    files.push(("cache.rs".into(), manifest.join("src/store/cache.rs")));
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, abs) in &files {
        let bytes = fs::read(abs).expect("source files are readable");
        for b in rel.bytes().chain(bytes) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("model_fingerprint.rs");
    fs::write(out, format!("0x{hash:016x}_u64\n")).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for item in read.flatten() {
        let path = item.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under root");
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path));
        }
    }
}
